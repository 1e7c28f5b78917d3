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

import marshal
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
    marshal's limit) takes ``_flat_fingerprint``.
    """
    try:
        return hash(marshal.dumps(value, 2))
    except ValueError:
        return _flat_fingerprint(value)


def _flat_fingerprint(value: Any) -> int:
    """The fingerprint of a value marshal refuses (nesting past its limit, or an object it cannot write,
    which a hand-built model may hold): marshal's bytes of the value flattened without recursion, so
    that it is the same at any depth of the caller's stack. A container is a marker and its length,
    then its items (an object's keys in order); anything marshal cannot write, its ``repr``."""
    flat: list[Any] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            flat.append(("{", len(item)))
            for key, element in reversed(item.items()):
                stack += (element, key)
        elif isinstance(item, list | tuple):
            flat.append(("[", len(item)))
            stack += reversed(item)
        else:
            try:
                marshal.dumps(item, 2)
            except ValueError:
                item = ("?", repr(item))
            flat.append(item)
    return hash(marshal.dumps(flat, 2))
