"""``fingerprint``: the one digest exactly-once delivery compares, 64 bits of a payload's value.

Pure (no I/O). ``ReplayFilter`` (``replay.py``) fingerprints the parts of the current turn when a
reconnect compares them, and each persisted message, status and queue as it arrives. Equal values
give equal fingerprints; different values different ones, but for a 2**-64 chance. The values are
compared within this process only, so ``hash``'s per-process seed does no harm.

* A part whose fields are all strings, booleans, integers or unset (the bulk of a stream): ``hash`` of
  its field values, read in the model's order (``schema.py``), so a field the spec gains is part of
  it. A part type hashes as its wire string, whether the enum member or the plain string.
* Anything else (a part with ``args``, ``result``, a number or unknown fields; a message; a status; a
  queue): ``hash`` of its JSON (``to_dict()``) in ``marshal``'s format.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import math
from json.encoder import encode_basestring_ascii
from operator import attrgetter, itemgetter
from typing import Any

from coder_chat.client.models import ChatMessagePart, ChatStreamMessagePart
from coder_chat.client.types import UNSET, Unset

from .schema import PART_FIELDS, STREAM_PART_FIELDS

__all__ = ["fingerprint"]


def fingerprint(value: Any) -> int:
    """The 64-bit fingerprint of a ``ChatStreamMessagePart``, another model, or a JSON value (see above)."""
    if value.__class__ is ChatStreamMessagePart:
        scalars = _scalar_fields(value)
        if scalars is not None:
            try:
                return hash(scalars)
            except TypeError:  # a hand-built part with a list in a string field
                pass
    if value is None or isinstance(value, Unset):
        value = None
    elif hasattr(value, "to_dict"):
        value = value.to_dict()
    return _json_fingerprint(value)


# A part's field values: the stream part's (``role``, ...) and the part's (``type_`` first). ``hash``
# takes 1, 1.0 and true for one value: a field that may hold more than one JSON type (any JSON, a
# number, a converted value) must be unset for ``hash`` to tell parts apart; else the part takes JSON.
_STREAM_VALUES = attrgetter(*(f.attr for f in STREAM_PART_FIELDS)) if STREAM_PART_FIELDS else lambda _: ()
_PART_VALUES = attrgetter(*(f.attr for f in PART_FIELDS))
_MIXED_POSITIONS = [n for n, f in enumerate(PART_FIELDS) if n and f.kind not in (str, bool, int)]
_MIXED = itemgetter(*_MIXED_POSITIONS) if _MIXED_POSITIONS else lambda _: ()
_MIXED_UNSET = _MIXED([UNSET] * len(PART_FIELDS))  # what _MIXED gives for a part with none of them set
_STREAM_MIXED = any(f.kind not in (str, bool, int) for f in STREAM_PART_FIELDS)


def _scalar_fields(stream_part: ChatStreamMessagePart) -> tuple[Any, ...] | None:
    part = stream_part.part
    if stream_part.additional_properties or part.__class__ is not ChatMessagePart or part.additional_properties:
        return None
    values = _PART_VALUES(part)
    if _MIXED(values) != _MIXED_UNSET or _STREAM_MIXED:
        return None
    return _STREAM_VALUES(stream_part), values


def _json_fingerprint(value: Any) -> int:
    """``hash`` of a JSON value in ``marshal``'s format.

    Messages and tool calls are the big payloads; marshal is several times cheaper than JSON text for
    blake2b. Its version 2 has no back-references, so the bytes depend on the values alone, not on
    which objects are shared; it writes strings as fresh UTF-8 bytes (no copy cached inside a kept
    string, as msgspec's encoder leaves) and tells ``1``, ``1.0`` and ``true`` apart. It keeps the order
    of an object's keys: ``to_dict`` writes a model's fields in one order, and free-form JSON comes in
    the order the server wrote it, which for a stored message or a replayed part is the same every
    time. A value marshal refuses (a hand-built model holding another object, or nesting past
    marshal's limit) takes ``_text_fingerprint``.
    """
    try:
        return hash(marshal.dumps(value, 2))
    except ValueError:
        return _text_fingerprint(value)


# One encoder for every JSON digest (``json.dumps`` with these options would build a new one per call).
# ASCII escapes, not UTF-8 and not msgspec: encoding a ``str`` to UTF-8 makes CPython keep a UTF-8 copy
# inside it for the rest of its life, and the strings digested here are the very ones the consumer keeps
# (an accumulator keeps the whole chat): msgspec's encoder added 44 MB to a million realistic events'
# 180 MB chat (bench: memory). A lone surrogate ("\ud800", valid JSON) is just another escape.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str)


def _text_fingerprint(value: Any) -> int:
    """The fingerprint of a value marshal refuses: blake2b of its JSON text (``str()`` of anything else)."""
    try:
        text = _ENCODER.encode(value)
    except RecursionError:
        # Nesting the decoder accepted higher up the stack (tool-call arguments can nest ~1,000 deep):
        # the same text, built without recursion, so the value digests alike wherever it is digested.
        text = _encode_without_recursion(value)
    return int.from_bytes(hashlib.blake2b(text.encode("ascii"), digest_size=8).digest(), "big", signed=True)


class _Text(str):
    """Output already encoded, on ``_encode_without_recursion``'s stack among the values still to encode."""


def _encode_without_recursion(value: Any) -> str:
    """``_ENCODER.encode(value)``, the same text, with a stack of its own instead of Python's."""
    out: list[str] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if item.__class__ is _Text:
            out.append(item)
        elif isinstance(item, str):
            out.append(encode_basestring_ascii(item))
        elif item is None or item is True or item is False:
            out.append(_CONSTANTS[item])
        elif isinstance(item, int):
            out.append(int.__repr__(item))
        elif isinstance(item, float):
            out.append(_float_text(item))
        elif isinstance(item, dict):
            # Pushed in reverse: "{", key, value, ",", key, value, ..., "}" come off the stack in order.
            stack.append(_Text("}"))
            for index, (key, element) in enumerate(reversed(sorted(item.items()))):
                stack += [_Text(","), element] if index else [element]
                stack.append(_Text(_key_text(key) + ":"))
            stack.append(_Text("{"))
        elif isinstance(item, list | tuple):
            stack.append(_Text("]"))
            for index, element in enumerate(reversed(item)):
                stack += [_Text(","), element] if index else [element]
            stack.append(_Text("["))
        else:
            stack.append(str(item))  # the encoder's default=str
    return "".join(out)


_CONSTANTS = {None: "null", True: "true", False: "false"}


def _float_text(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _key_text(key: Any) -> str:
    """An object key as the json encoder writes it (a string, or a scalar turned into one)."""
    if isinstance(key, str):
        return encode_basestring_ascii(key)
    if key is None or key is True or key is False:
        return f'"{_CONSTANTS[key]}"'
    if isinstance(key, int):
        return f'"{int.__repr__(key)}"'
    if isinstance(key, float):
        return f'"{_float_text(key)}"'
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
