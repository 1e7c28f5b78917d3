"""``fingerprint``: the one digest exactly-once delivery compares, 64 bits of a payload's value.

Pure (no I/O). ``ReplayFilter`` (``replay.py``) fingerprints the parts of the current turn when a
reconnect compares them, and each persisted message, status and queue as it arrives. Equal values
give equal fingerprints; different values different ones, but for a 2**-64 chance. The values are
compared within this process only, so ``hash``'s per-process seed does no harm.

* A part whose set fields are all strings, booleans or integers (the bulk of a stream): ``hash`` of
  its stream part's values (``role``, ...) and of the set of its part's set fields (attribute, value),
  so the order a decoding path set them in does not count, and a field the spec gains is part of
  it. A part type hashes as its wire string, whether the enum member or the plain string.
* A part with other values (``args``, ``result``, a number, a converted value): ``hash`` of its set
  fields in name order in ``marshal``'s format (below); one with unknown fields, of its JSON.
* Anything else (a message; a status; a queue): ``hash`` of its JSON (``to_dict()``) in ``marshal``'s format.
"""

from __future__ import annotations

import marshal
from operator import attrgetter
from typing import Any

from coder_chat.client.models import ChatMessagePart, ChatStreamMessagePart
from coder_chat.client.types import UNSET, Unset

from .schema import PART_FIELDS, STREAM_PART_FIELDS

__all__ = ["fingerprint", "part_fingerprint"]


def fingerprint(value: Any) -> int:
    """The 64-bit fingerprint of a ``ChatStreamMessagePart``, another model, or a JSON value (see above)."""
    if value.__class__ is ChatStreamMessagePart:
        return part_fingerprint(value)
    if value is None or isinstance(value, Unset):
        value = None
    elif hasattr(value, "to_dict"):
        value = value.to_dict()
    return _json_fingerprint(value)


def part_fingerprint(stream_part: ChatStreamMessagePart | Unset | None) -> int:
    """``fingerprint`` of a part event's payload: what the replay filter keys every part of a turn by, as it arrives."""
    if stream_part.__class__ is not ChatStreamMessagePart:  # a part event whose message_part is null
        return fingerprint(stream_part)
    assert isinstance(stream_part, ChatStreamMessagePart)
    part = stream_part.part
    # A decoded part is sparse: its __dict__ holds the fields it sets (and additional_properties once read);
    # one built by its constructor holds every field, the unset ones as UNSET, which an equal decoded part
    # leaves out.
    fields = part.__dict__ if part.__class__ is ChatMessagePart else None
    if fields is None or stream_part.additional_properties or fields.get("additional_properties"):
        return _json_fingerprint(stream_part.to_dict())  # another class of part, or unknown fields
    if "additional_properties" in fields:  # read once, and empty
        fields = fields.copy()
        del fields["additional_properties"]
    if len(fields) == _ALL_FIELDS:
        fields = {attr: value for attr, value in fields.items() if value is not UNSET}
    stream_values = _STREAM_VALUES(stream_part)
    if _MIXED.isdisjoint(fields):
        try:
            return hash((stream_values, frozenset(fields.items())))
        except TypeError:  # a hand-built part with a list in a string field
            pass
    # Values hash cannot take apart (args, result, a number): marshal's bytes of the fields in name
    # order, the type as its wire string, an unset stream field as a marker no JSON value is.
    named = sorted((attr, str(value) if attr == "type_" else value) for attr, value in fields.items())
    marked = tuple(_UNSET_MARK if value is UNSET else value for value in stream_values)
    return _json_fingerprint((marked, named))


# ``hash`` takes 1, 1.0 and true for one value: a part with a field that may hold more than one JSON
# type (any JSON, a number) or a converted value (a UUID, a time, a list) takes marshal's bytes instead.
_STREAM_VALUES = attrgetter(*(f.attr for f in STREAM_PART_FIELDS)) if STREAM_PART_FIELDS else lambda _: ()
_MIXED = frozenset(f.attr for f in PART_FIELDS[1:] if f.kind not in (str, bool, int))
_ALL_FIELDS = len(PART_FIELDS)
_UNSET_MARK = ("unset",)


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
