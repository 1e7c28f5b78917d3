"""What every generated endpoint module does the same way (``sync()`` raising, the per-call ``max_retries``)."""

from __future__ import annotations

from typing import Any, TypeVar, cast
from urllib.parse import quote
from uuid import UUID

from .exceptions import api_error_from_response
from .retry_settings import MAX_RETRIES_EXTENSION
from .types import Response

__all__ = ["path_int", "path_str", "path_uuid", "request_extensions", "success_value"]

T = TypeVar("T")


def success_value(response: Response[T]) -> T:
    """The parsed value of a 2xx answer (``None`` for an empty one), or the typed ``APIError`` for any other."""
    if not 200 <= response.status_code <= 299:
        raise api_error_from_response(int(response.status_code), response.content, response.headers)
    return cast(T, response.parsed)


def request_extensions(max_retries: int | None) -> dict[str, Any]:
    """The httpx request extensions for an endpoint's ``max_retries=`` argument (none when it is not given)."""
    return {} if max_retries is None else {MAX_RETRIES_EXTENSION: max_retries}


def path_uuid(name: str, value: object) -> str:
    """A UUID path parameter for the URL: a ``UUID`` or its string form; anything else raises before any request.

    ``ValueError`` for a string that is not a UUID, ``TypeError`` for another type; both name the parameter.
    """
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, str):
        try:
            return str(UUID(value))
        except ValueError:
            shown = value if len(value) <= 40 else value[:40] + "..."
            raise ValueError(f"{name} must be a UUID, not the string {shown!r}") from None
    raise TypeError(f"{name} must be a UUID or a str, not {type(value).__name__}")


def path_int(name: str, value: object) -> str:
    """An integer path parameter (a message id) for the URL: an ``int``, or a string of decimal digits.

    ``ValueError`` for another string, ``TypeError`` for another type (a bool too); both name the parameter.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        if value.isascii() and value.isdecimal():
            return value
        shown = value if len(value) <= 40 else value[:40] + "..."
        raise ValueError(f"{name} must be an integer, not the string {shown!r}")
    raise TypeError(f"{name} must be an int, not {type(value).__name__}")


def path_str(value: object) -> str:
    """Any other path parameter, percent-encoded as one path segment."""
    return quote(str(value), safe="")
