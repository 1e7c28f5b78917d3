"""``fingerprint``: the one digest exactly-once delivery compares, 64 bits of a payload's value.

Pure. Equal values give equal fingerprints, different ones different fingerprints but for a 2**-64
chance; they are compared within one process, so ``hash``'s per-process seed does no harm. It is
``hash`` of a key built from the value (docs/design.md, "One fingerprint"): a model its class and its
fields' keys (a sparse part the set of its set fields), a number with its class (``hash`` takes 1, 1.0
and true for one value, JSON does not), a list the tuple of its items' keys, free-form JSON marshal's
bytes.
"""

from __future__ import annotations

import marshal
from operator import attrgetter
from typing import Any

import attrs

from coder_chat.client.models import ChatMessagePart, ChatStreamMessagePart
from coder_chat.client.types import UNSET

from .schema import PART_FIELDS, STREAM_PART_FIELDS

__all__ = ["fingerprint"]


def fingerprint(value: Any) -> int:
    """The 64-bit fingerprint of a ``ChatStreamMessagePart`` (what the replay filter keys every part of a
    turn by), another model, or a JSON value (see above)."""
    if value.__class__ is not ChatStreamMessagePart:
        return hash(_key(value))
    extra = value.additional_properties
    return hash((_STREAM_VALUES(value), _part_key(value.part), _json_fingerprint(extra) if extra else 0))


def _part_key(part: Any) -> Any:
    """The key of a ``ChatMessagePart`` (or whatever a hand-built model holds in its place)."""
    # A decoded part is sparse: its __dict__ holds the fields it sets (and additional_properties once read);
    # one built by its constructor holds every field, the unset ones as UNSET, which an equal decoded part
    # leaves out.
    fields = part.__dict__ if part.__class__ is ChatMessagePart else None
    if fields is None:
        return _key(part)
    extra = fields.get("additional_properties")
    if extra is not None or len(fields) == _ALL_FIELDS:
        fields = {
            attr: value for attr, value in fields.items() if value is not UNSET and attr != "additional_properties"
        }
    if _MIXED.isdisjoint(fields):
        try:
            key = frozenset(fields.items())
        except TypeError:  # a hand-built part with a list in a string field
            pass
        else:
            return (key, _json_fingerprint(extra)) if extra else key
    # Values hash cannot take apart (args, result, a number): marshal's bytes of the fields in name
    # order, the type as its wire string.
    named = sorted((attr, str(value) if attr == "type_" else value) for attr, value in fields.items())
    return ("mixed", _json_fingerprint(named), _json_fingerprint(extra) if extra else 0)


def _key(value: Any) -> Any:
    """A hashable key of ``value`` that equal values share and different ones do not (see above).
    A container's key starts with its class (a list, a tuple, an object, a model's), a number's too."""
    kind = value.__class__
    if kind is str or value is None or value is UNSET:
        return value
    if kind is int or kind is float or kind is bool:
        return kind, value
    if kind is list or kind is tuple:
        return kind, *map(_item_key, value)
    if kind is dict:
        return (dict, _json_fingerprint(value)) if value else (dict,)
    if kind is ChatMessagePart:
        return _part_key(value)
    fields = _FIELDS.get(kind, _UNKNOWN)
    if fields is _UNKNOWN:
        fields = _FIELDS[kind] = _fields_of(kind)
    # Not a model: an enum member, a UUID, a time, hashable and equal exactly when their JSON is.
    return value if fields is None else (kind, *map(_key, fields(value)))


def _item_key(item: Any) -> Any:
    """The key of a list's item: a list in a list is JSON (models hold no such thing), keyed by
    ``_json_fingerprint`` at any depth."""
    return (list, _json_fingerprint(item)) if item.__class__ is list else _key(item)


def _fields_of(kind: type) -> Any:
    """The getter of a model class's field values, in order (a tuple); ``None`` for another class."""
    if not attrs.has(kind):
        return None
    names = [field.name for field in attrs.fields(kind)]
    return attrgetter(*names) if len(names) > 1 else lambda value: (getattr(value, names[0]),)


_UNKNOWN = object()
_FIELDS: dict[type, Any] = {}  # a class -> _fields_of(class)
_STREAM_VALUES = attrgetter(*(f.attr for f in STREAM_PART_FIELDS)) if STREAM_PART_FIELDS else lambda _: ()
# ``hash`` takes 1, 1.0 and true for one value: a part with a field that may hold more than one JSON
# type (any JSON, a number) or a converted value (a UUID, a time, a list) takes marshal's bytes instead.
_MIXED = frozenset(f.attr for f in PART_FIELDS[1:] if f.kind not in (str, bool, int))
_ALL_FIELDS = len(PART_FIELDS)


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
