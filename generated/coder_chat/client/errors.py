"""The exceptions of coder-chat, and the helpers that build them.

Every exception this distribution raises derives from ``CoderChatError``::

    CoderChatError                      base of everything coder-chat raises
    ├── APIError                        non-2xx answer: .status_code .message .detail .validations .content .headers
    │   ├── BadRequestError             400
    │   ├── AuthenticationError         401
    │   ├── PermissionDeniedError       403
    │   ├── NotFoundError               404
    │   ├── ConflictError               409
    │   ├── RateLimitError              429   (.retry_after when the server sent one)
    │   └── ServerError                 5xx
    ├── APIConnectionError              transport failure (the httpx exception is __cause__)
    │   └── APITimeoutError
    ├── ResponseValidationError         a 2xx body that does not match the spec (names the field)
    └── StreamError                     defined in coder_chat.streaming

``sync()``/``asyncio()`` raise ``APIError`` subclasses for non-2xx answers; ``sync_detailed()`` and
``asyncio_detailed()`` return every answer and raise only ``APIConnectionError`` and
``ResponseValidationError``.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import time
from collections.abc import Iterator, Mapping
from http import HTTPStatus
from typing import Any

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "CoderChatError",
    "ConflictError",
    "FieldTypeError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseValidationError",
    "ServerError",
    "ValidationDetail",
    "api_error_from_response",
    "translate_transport_errors",
]

# How much of a non-JSON error body goes into str(error); the whole body stays in `.content`.
_MESSAGE_PREVIEW_CHARS = 300


class CoderChatError(Exception):
    """Base class of every exception raised by coder-chat."""


class ValidationDetail:
    """One entry of an error body's ``validations``: which request field failed and why."""

    __slots__ = ("detail", "field")

    def __init__(self, field: str, detail: str) -> None:
        self.field = field
        self.detail = detail

    def __repr__(self) -> str:
        return f"ValidationDetail(field={self.field!r}, detail={self.detail!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ValidationDetail) and (self.field, self.detail) == (other.field, other.detail)

    def __hash__(self) -> int:
        return hash((self.field, self.detail))


class APIError(CoderChatError):
    """The server answered with a non-2xx status.

    ``message``, ``detail`` and ``validations`` come from Coder's error body
    ``{"message", "detail", "validations": [{"field", "detail"}]}``; a body that is not that JSON gives
    its raw text as ``message``. ``content`` and ``headers`` are the raw answer.
    """

    def __init__(
        self,
        status_code: int,
        message: str,
        *,
        detail: str | None = None,
        validations: list[ValidationDetail] | None = None,
        content: bytes = b"",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status_code = status_code
        self.message = message
        self.detail = detail
        self.validations = validations or []
        self.content = content
        self.headers: Mapping[str, str] = headers if headers is not None else {}
        super().__init__(self._describe())

    def _describe(self) -> str:
        try:
            phrase = HTTPStatus(self.status_code).phrase
        except ValueError:
            phrase = "Unknown Status"
        text = f"{self.status_code} {phrase}"
        message = self.message.strip()
        if len(message) > _MESSAGE_PREVIEW_CHARS:
            message = message[:_MESSAGE_PREVIEW_CHARS] + "…"
        if message:
            text += f": {message}"
        if self.detail:
            text += f" ({self.detail})"
        for validation in self.validations:
            text += f"\n  {validation.field}: {validation.detail}"
        return text


class BadRequestError(APIError):
    """400: the request was rejected (invalid input, bad id, invalid JSON)."""


class AuthenticationError(APIError):
    """401: no session token, or one the server does not accept."""


class PermissionDeniedError(APIError):
    """403: authenticated but not allowed (e.g. provider and model-config routes need an admin)."""


class NotFoundError(APIError):
    """404: the resource does not exist or belongs to another user, or the route is unknown."""


class ConflictError(APIError):
    """409: the resource already exists."""


class RateLimitError(APIError):
    """429: rate limited, or the chat's message queue is full.

    ``retry_after`` is the server's ``Retry-After`` in seconds, or ``None`` when it sent none.
    """

    def __init__(self, status_code: int, message: str, **kwargs: Any) -> None:
        super().__init__(status_code, message, **kwargs)
        self.retry_after = parse_retry_after(self.headers.get("retry-after"))


class ServerError(APIError):
    """5xx: the server failed."""


class APIConnectionError(CoderChatError):
    """The request did not complete: connection refused or reset, TLS failure, protocol error.

    The underlying httpx (or websocket) exception is ``__cause__``.
    """


class APITimeoutError(APIConnectionError):
    """A connect, read, write or pool timeout expired."""


class ResponseValidationError(CoderChatError):
    """A 2xx answer whose body does not match the API description.

    ``field`` names the missing or malformed field when it is known; ``content`` is the raw body.
    """

    def __init__(self, message: str, *, field: str | None = None, status_code: int = 0, content: bytes = b"") -> None:
        super().__init__(message)
        self.field = field
        self.status_code = status_code
        self.content = content

    @classmethod
    def from_exception(
        cls, exc: Exception, *, operation: str, status_code: int, content: bytes
    ) -> ResponseValidationError:
        """Describe why parsing a success body failed (``exc`` is what the parser raised)."""
        field: str | None = None
        if isinstance(exc, json.JSONDecodeError):
            reason = f"the body is not valid JSON ({exc.msg} at position {exc.pos})"
        elif isinstance(exc, FieldTypeError):
            field = exc.field
            reason = str(exc)
        elif isinstance(exc, KeyError):
            field = str(exc.args[0]) if exc.args else None
            reason = f"required field {field!r} is missing"
        elif isinstance(exc, RecursionError):
            reason = "the body is nested too deeply to parse"
        else:
            reason = f"a field has the wrong type or value ({type(exc).__name__}: {exc})"
        return cls(
            f"invalid {status_code} response to {operation}: {reason}",
            field=field,
            status_code=status_code,
            content=content,
        )


class FieldTypeError(TypeError):
    """Raised by a model's ``from_dict`` when a JSON value has the wrong type for its field."""

    def __init__(self, field: str, expected: str, value: object) -> None:
        self.field = field
        super().__init__(f"field {field!r} must be {expected}, not {type(value).__name__}")


_ERROR_CLASSES: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date); ``None`` if absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _error_body(content: bytes) -> tuple[str, str | None, list[ValidationDetail]]:
    """Read Coder's error body leniently: anything that is not that shape falls back to the raw text."""
    text = content.decode("utf-8", errors="replace")
    try:
        body = json.loads(text)
    except ValueError:
        return text.strip(), None, []
    if not isinstance(body, dict) or not isinstance(body.get("message"), str):
        return text.strip(), None, []
    detail = body.get("detail")
    validations = [
        ValidationDetail(str(item.get("field", "")), str(item.get("detail", "")))
        for item in body.get("validations") or []
        if isinstance(item, dict)
    ]
    return body["message"], detail if isinstance(detail, str) and detail else None, validations


def api_error_from_response(status_code: int, content: bytes, headers: Mapping[str, str]) -> APIError:
    """The ``APIError`` subclass for a non-2xx answer, filled from Coder's error body."""
    message, detail, validations = _error_body(content)
    if status_code >= 500:
        error_class: type[APIError] = ServerError
    else:
        error_class = _ERROR_CLASSES.get(status_code, APIError)
    return error_class(status_code, message, detail=detail, validations=validations, content=content, headers=headers)


@contextlib.contextmanager
def translate_transport_errors() -> Iterator[None]:
    """Turn httpx's request errors into ``APITimeoutError`` / ``APIConnectionError`` (httpx's as ``__cause__``).

    A plain context manager, so one helper serves both the sync and the async endpoints.
    """
    try:
        yield
    except httpx.TimeoutException as exc:
        raise APITimeoutError(f"request timed out: {type(exc).__name__}: {exc}") from exc
    except httpx.RequestError as exc:
        raise APIConnectionError(f"request failed: {type(exc).__name__}: {exc}") from exc
