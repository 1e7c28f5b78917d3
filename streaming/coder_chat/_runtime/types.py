"""Types and helpers shared by the generated models and endpoints (re-exported by ``coder_chat.client.types``)."""

from __future__ import annotations

from collections.abc import MutableMapping
from http import HTTPStatus
from typing import Any, Generic, Literal, TypeVar
from uuid import UUID

from attrs import define

from . import speedups
from .exceptions import FieldTypeError

__all__ = [
    "INT64_MAX",
    "INT64_MIN",
    "UNSET",
    "Response",
    "Unset",
    "http_status",
    "int64_field",
    "json_body",
    "uuid_from_wire",
]


class Unset:
    """The type of ``UNSET``: a field that was not given (as opposed to one given as ``None``)."""

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"

    def __reduce__(self) -> str:
        # Pickled and copied as the module's one UNSET, so `value is UNSET` holds after a round trip.
        return "UNSET"


UNSET: Unset = Unset()

T = TypeVar("T")


@define
class Response(Generic[T]):
    """A response from an endpoint."""

    status_code: HTTPStatus | int
    """The HTTP status: an ``HTTPStatus`` when Python knows the code, else the plain ``int`` (e.g. 520)."""
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


def http_status(code: int) -> HTTPStatus | int:
    """``HTTPStatus(code)`` when Python knows the code, else ``code`` itself; never raises."""
    try:
        return HTTPStatus(code)
    except ValueError:
        return code


INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


def int64_field(field: str, value: object, expected: str = "int") -> int:
    """``value`` if it is a JSON integer within Go's ``int64``, else ``FieldTypeError`` naming ``field``.

    The server's integers are Go ``int64``s, and Go's decoder refuses a boolean or an out-of-range number
    for one; so does this (``isinstance(True, int)`` notwithstanding). The models' ``from_dict`` call it
    only when the exact-class and range test they inline fails. ``expected`` is the type named in the error.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldTypeError(field, expected, value)
    if not INT64_MIN <= value <= INT64_MAX:
        raise FieldTypeError(field, expected, value, reason=f"is {value}, out of the int64 range")
    return value


_UUIDS: dict[str, UUID] = {}
_UUIDS_MAX = 4096


def uuid_from_wire(value: Any) -> UUID:
    """``UUID(value)`` for a JSON value, the same (immutable) object for a string seen before.

    Anything but a ``str`` goes straight to ``UUID()``, which raises exactly as it always did. The
    cache is bounded: it is emptied when it reaches ``_UUIDS_MAX`` ids.
    """
    if value.__class__ is not str:
        return UUID(value)
    parsed = _UUIDS.get(value)
    if parsed is None:
        parsed = UUID(value)
        if len(_UUIDS) >= _UUIDS_MAX:
            _UUIDS.clear()
        _UUIDS[value] = parsed
    return parsed


_fast_json: Any = None if speedups.msgspec is None else speedups.msgspec.json.Decoder().decode


def json_body(response: Any) -> Any:
    """``response.json()`` of an ``httpx.Response``, parsed by msgspec when the ``fast`` extra is installed.

    Whatever msgspec accepts, ``json.loads`` accepts with an equal value (types and key order too; a
    differential test checks it); whatever msgspec refuses (NaN, a byte-order mark, UTF-16, bad JSON)
    goes to ``response.json()``, which decides. So the value does not depend on the extra, with one
    exception: nesting within a few levels of the interpreter's recursion limit, which msgspec reads
    a few levels deeper than ``json.loads`` (whose limit also depends on the caller's stack).
    """
    if speedups.enabled:
        try:
            return _fast_json(response.content)
        except Exception:  # refused by msgspec: response.json() gives the verdict
            pass
    return response.json()


# Printed, pickled and documented under their public module (as httpx's classes are), not this private one.
Unset.__module__ = Response.__module__ = "coder_chat.client.types"
