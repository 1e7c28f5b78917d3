"""The digests exactly-once delivery compares: 64-bit fingerprints of parts and messages, by value.

Pure (no I/O). ``ReplayFilter`` (``_delivery.py``) records one per part of the current turn and one per
persisted message; the decoders (``_decoder.py``, ``_fastpath.py``) compute them from the wire values
they build each event from and hand them over with the events, so the filter seldom reads a model back:

* ``part_fields_digest``: a part without ``args``, ``result`` or unknown fields, by its field values
  (``hash``); ``text_part_digest`` the same for a part of a type and a text only, and a
  ``TextPartKey`` the three strings it is computed from when a reconnect needs it.
* ``value_digest``: any JSON value (a message, a part with ``args`` or ``result``, a status, a queue),
  by ``hash`` of marshal's bytes; ``message_digest`` of a message's wire JSON.
* ``part_digest``: a part model's digest, whichever of the two applies, as the decoders compute it.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import math
from collections.abc import Callable
from json.encoder import encode_basestring_ascii
from operator import attrgetter, itemgetter
from typing import Any

import attrs

from coder_chat.client.models import ChatMessagePart, ChatStreamMessagePart
from coder_chat.client.types import UNSET, Unset

__all__ = [
    "NON_SCALARS_UNSET",
    "PartDigest",
    "TextPartKey",
    "message_digest",
    "model_json",
    "non_scalar_fields",
    "part_digest",
    "part_fields_digest",
    "text_part_digest",
    "text_part_key_digest",
    "value_digest",
]


def value_digest(value: Any) -> int:
    """A 64-bit fingerprint of a JSON value (a model's ``to_dict()``): ``hash`` of it in ``marshal``'s format.

    Messages and tool calls are the big payloads (kilobytes of text, arguments and output), digested as
    they are delivered; JSON text for blake2b (``_json_digest``) cost five times as much, a sixth of a
    realistic stream's time. Marshal's version 2 has no back-references, so the bytes depend on the values
    alone, not on which objects are shared; it writes strings as fresh UTF-8 bytes (no copy cached inside
    a kept string, unlike msgspec's encoder) and tells ``1``, ``1.0`` and ``true`` apart. It keeps the
    order of an object's keys: ``to_dict`` writes a model's fields in one order, and free-form JSON (tool
    arguments, unknown fields) comes in the order the server wrote it, which for a stored message or a
    replayed part is the same every time. The values are compared within this process only, so
    ``hash``'s per-process seed does no harm. A value marshal refuses (a hand-built model holding another
    object, or nesting past marshal's limit) takes ``_json_digest``.
    """
    try:
        return hash(marshal.dumps(value, 2))
    except ValueError:
        return _json_digest(value)


# One encoder for every JSON digest (``json.dumps`` with these options would build a new one per call).
# ASCII escapes, not UTF-8 and not msgspec: encoding a ``str`` to UTF-8 makes CPython keep a UTF-8 copy
# inside it for the rest of its life, and the strings digested here are the very ones the consumer keeps
# (an accumulator keeps the whole chat): msgspec's encoder added 44 MB to a million realistic events'
# 180 MB chat (bench: memory). A lone surrogate ("\ud800", valid JSON) is just another escape.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str)


def _json_digest(value: Any) -> int:
    """``value_digest`` of a value marshal refuses: blake2b of its JSON text (``str()`` of anything else)."""
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


# The fields of a part, ``type_`` first, read from the model: a field added to the spec and regenerated
# is part of every digest, so a new part that differs from a replayed one only there is never dropped.
_PART_FIELD_NAMES = tuple(f.name for f in attrs.fields(ChatMessagePart) if f.name != "additional_properties")
_PART_FIELDS = attrgetter(*_PART_FIELD_NAMES)
# The fields that may hold other JSON than a string or a boolean (``args`` and ``result``: any JSON),
# where ``hash`` would take ``1``, ``1.0`` and ``true`` for one value: a part with one set takes ``value_digest``.
_FIELD_TYPES = {f.name: str(f.type) for f in attrs.fields(ChatMessagePart)}  # annotations are strings here
_NON_SCALAR_FIELDS = tuple(
    index
    for index, name in enumerate(_PART_FIELD_NAMES)
    if name != "type_" and _FIELD_TYPES[name] not in ("str | Unset", "bool | Unset")
)
# ``non_scalar_fields(fields)``: the values of those fields in a part's field tuple (``type_`` first);
# ``NON_SCALARS_UNSET``: what it gives for a part with none of them set (one that ``hash`` can digest).
non_scalar_fields: Callable[[tuple[Any, ...]], Any] = (
    itemgetter(*_NON_SCALAR_FIELDS) if _NON_SCALAR_FIELDS else lambda _: ()
)
NON_SCALARS_UNSET: Any = non_scalar_fields(tuple(UNSET for _ in _PART_FIELD_NAMES))
# A part's fields after ``text``, all unset: ``text_part_digest``'s part. That the fields start with
# ``type_`` and ``text`` is checked once, by the decoder that calls it (``_require_field_order``).
_UNSET_AFTER_TEXT = tuple(UNSET for _ in _PART_FIELD_NAMES[2:])


def part_digest(value: Any) -> int:
    """The digest of a ``message_part`` payload, telling parts apart as ``value_digest`` does (equal parts,
    equal digests; different parts, different digests but for a 2**-64 chance), for parts as
    ``decode_frame`` builds them: string fields hold a ``str``, ``is_error`` a ``bool`` (a hand-built
    part with ``1`` in one and ``True`` in the other would digest alike, as ``1 == True``).

    The bulk of a stream is deltas whose fields are all strings, booleans or unset: for those it is
    ``part_fields_digest`` of the field values. A part with ``args`` or ``result`` (any JSON), or with
    unknown fields, takes ``value_digest`` of its JSON.
    """
    if value.__class__ is ChatStreamMessagePart and not value.additional_properties:
        part = value.part
        if part.__class__ is ChatMessagePart and not part.additional_properties:
            digest = part_fields_digest(value.role, _PART_FIELDS(part))
            if digest is not None:
                return digest
    return value_digest(model_json(value))


def part_fields_digest(role: Any, fields: tuple[Any, ...]) -> int | None:
    """``part_digest`` of a part given as its role and the values of its fields (in ``ChatMessagePart``'s
    order, ``type_`` first, ``UNSET`` where absent), read from no model: the decoder calls it with what it
    builds a part from. ``None`` when ``part_digest`` would encode JSON (``args`` or ``result`` set) or a
    value is unhashable (a hand-built part with a list in a string field).

    Python's 64-bit ``hash`` of the values, about 10x cheaper than encoding JSON for blake2b (the values
    are compared within this process only, so a per-process hash seed does no harm). A part type hashes
    as its wire string whether it is the enum member or the plain string (a ``StrEnum`` member takes
    ``str.__hash__``). ``args`` and ``result`` hold any JSON, where ``hash`` would take ``1``, ``1.0``
    and ``true`` for one value.
    """
    if non_scalar_fields(fields) != NON_SCALARS_UNSET:
        return None
    try:
        return hash((role, fields))
    except TypeError:
        return None


def text_part_digest(role: str, part_type: Any, text: str) -> int:
    """``part_fields_digest`` of a part with a type and a ``text`` only (most deltas), for a decoder that
    builds such a part from these three values (``part_fields_digest``'s formula, without its checks)."""
    # Concatenation, not unpacking (RUF005's advice): unpacking builds a list first, a third slower here.
    return hash((role, (part_type, text) + _UNSET_AFTER_TEXT))  # noqa: RUF005


TextPartKey = tuple[str, str, str]
"""A part with a type and a ``text`` only (most deltas) as the reference decoder hands it over instead of
its digest: ``(role, wire type, text)``, three strings it has at hand. Digesting it (``text_part_digest``)
is most of what exactly-once costs a live stream, and the digests of a turn are only ever compared after
a reconnect: so the filter records the key as it comes, and digests the turn's keys when a connection
opens, or when too many wait (``_delivery.MAX_PENDING_KEYS``; a key keeps its text alive: ~150 bytes a part)."""

PartDigest = int | TextPartKey
"""What the decoder hands the filter for a part: its digest, or a ``TextPartKey``."""


def text_part_key_digest(entry: PartDigest) -> int:
    """The digest of a ``PartDigest``: a ``TextPartKey``'s ``text_part_digest`` (a ``StrEnum`` part type
    hashes as its wire string), an ``int`` as it is."""
    return entry if entry.__class__ is int else text_part_digest(*entry)  # type: ignore[misc]


def message_digest(wire_message: dict[str, Any]) -> int:
    """The digest of a persisted message as the decoder hands it over: ``value_digest`` of the message's wire
    JSON, the object its model was built from (a 10 kB message's ``to_dict()`` alone cost as much as
    half its digest). The filter computes ``value_digest(message.to_dict())`` only for an event fed without
    one; the stream's core always has one, from either decoding path (the same parsed values, so the
    same bytes), so the two never meet within a stream. Coder writes a stored message alike every time
    (one Go struct, its fields in one order), so a replay digests alike and an edit does not."""
    return value_digest(wire_message)


def model_json(value: Any) -> Any:
    """The JSON of a model field (``None`` for an unset or null one)."""
    if value is None or isinstance(value, Unset):
        return None
    to_dict = getattr(value, "to_dict", None)
    return to_dict() if callable(to_dict) else value
