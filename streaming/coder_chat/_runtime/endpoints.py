"""What every generated endpoint module does the same way (``sync()`` raising, the per-call ``max_retries``)."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from .exceptions import api_error_from_response
from .retries import MAX_RETRIES_EXTENSION
from .types import Response

__all__ = ["request_extensions", "success_value"]

T = TypeVar("T")


def success_value(response: Response[T]) -> T:
    """The parsed value of a 2xx answer (``None`` for an empty one), or the typed ``APIError`` for any other."""
    if not 200 <= response.status_code <= 299:
        raise api_error_from_response(int(response.status_code), response.content, response.headers)
    return cast(T, response.parsed)


def request_extensions(max_retries: int | None) -> dict[str, Any]:
    """The httpx request extensions for an endpoint's ``max_retries=`` argument (none when it is not given)."""
    return {} if max_retries is None else {MAX_RETRIES_EXTENSION: max_retries}
