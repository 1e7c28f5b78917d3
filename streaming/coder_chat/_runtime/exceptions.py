"""Every exception coder-chat raises, and the helpers that build them from answers and transport failures.

The whole tree (``coder_chat.client.errors`` exports every class; ``coder_chat.streaming`` re-exports
the stream errors)::

    CoderChatError                      base of everything coder-chat raises
    ├── APIError                        non-2xx answer: .status_code .message .detail .validations .content .headers
    │   ├── BadRequestError             400
    │   ├── AuthenticationError         401
    │   ├── PermissionDeniedError       403
    │   ├── NotFoundError               404
    │   ├── ConflictError               409
    │   ├── RateLimitError              429   (.retry_after when the server sent one)
    │   └── ServerError                 5xx
    ├── APIConnectionError              transport failure (the httpx / websocket exception is __cause__)
    │   └── APITimeoutError             a connect, read, write or pool timeout
    ├── ResponseValidationError         a 2xx body that does not match the spec (.field names the field)
    ├── FieldTypeError                  a model field got a value of the wrong type, built or read (also a TypeError)
    ├── MissingEnvironmentVariableError from_env(): CODER_URL or CODER_SESSION_TOKEN unset (also a ValueError)
    ├── StreamError                     anything the chat stream raises
    │   ├── StreamDecodeError           a frame that is not valid stream JSON (.reason, .preview)
    │   ├── StreamServerError           the server sent an error envelope (.message, .detail)
    │   ├── StreamFrameTooLargeError    a frame over max_frame_bytes (.size, .limit); the stream ends
    │   └── StreamDisconnectedError     the connection dropped and was not (or could not be) re-established
    │       └── StreamTimeoutError      ... because it went silent: also an APITimeoutError
    └── TurnError                       a turn failed (.message, .result: the partial result)
        ├── TurnTimeoutError            the turn did not finish in time: also an APITimeoutError
        └── ChatRequiresActionError     the chat waits for client-side tool results: the prompt was not sent

``sync()``/``asyncio()`` raise ``APIError`` subclasses for non-2xx answers; ``sync_detailed()`` and
``asyncio_detailed()`` return every answer and raise only ``APIConnectionError`` and
``ResponseValidationError``. A stream handshake the server refuses raises the same ``APIError``
subclasses as REST; one that gets no answer within the client's connect timeout raises ``APITimeoutError``.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import time
from collections.abc import Iterator, Mapping
from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ChatRequiresActionError",
    "CoderChatError",
    "ConflictError",
    "FieldTypeError",
    "MissingEnvironmentVariableError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseValidationError",
    "ServerError",
    "StreamDecodeError",
    "StreamDisconnectedError",
    "StreamError",
    "StreamFrameTooLargeError",
    "StreamServerError",
    "StreamTimeoutError",
    "TurnError",
    "TurnTimeoutError",
    "ValidationDetail",
    "api_error_from_response",
    "parse_retry_after",
    "translate_transport_errors",
]

# How much of a non-JSON error body goes into str(error); the whole body stays in `.content`.
_MESSAGE_PREVIEW_CHARS = 300


class CoderChatError(Exception):
    """Base class of every exception raised by coder-chat."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as its args and attributes, rebuilt without calling __init__: many subclasses' __init__
        # take other arguments than the message the default pickling would pass back (APIError's status).
        return _unpickle, (type(self), self.args, self.__dict__)


def _unpickle(cls: type[CoderChatError], args: tuple[Any, ...], state: dict[str, Any]) -> CoderChatError:
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


# --- REST answers -------------------------------------------------------------------------------------


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


# --- transport ----------------------------------------------------------------------------------------


class APIConnectionError(CoderChatError):
    """The request did not complete: connection refused or reset, TLS failure, protocol error.

    The underlying httpx (or websocket) exception is ``__cause__``.
    """


class APITimeoutError(APIConnectionError):
    """A connect, read, write or pool timeout expired."""


# --- bodies that do not match the API description ------------------------------------------------------


class FieldTypeError(CoderChatError, TypeError):
    """A JSON value of the wrong type (or range) for a model's field, at build time or in ``from_dict``.

    ``from_dict`` raises it as a ``ResponseValidationError`` too (with the field's path from the body's
    root); it stays a ``TypeError`` for code that caught that before it had a place in this tree.
    """

    def __init__(self, field: str, expected: str, value: object, *, reason: str | None = None) -> None:
        self.field = field
        super().__init__(f"field {field!r} {reason or f'must be {expected}, not {type(value).__name__}'}")


class MissingEnvironmentVariableError(CoderChatError, ValueError):
    """``from_env()`` needs an environment variable that is unset or empty; ``.name`` says which.

    A ``ValueError``, like the one for a malformed ``base_url``: a setup mistake found before any request.
    Also a ``CoderChatError``, so that ``except CoderChatError`` around a script's setup and calls covers it.
    The message names the variable, never a value.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"environment variable {name} is not set (or is empty)")


class ResponseValidationError(CoderChatError):
    """A 2xx answer whose body does not match the API description; also what a model's ``from_dict`` raises
    for a value that does not match its schema.

    ``field`` is the path of the missing or malformed value from the body's root when it is known
    (``chat.owner_id``, ``messages[3].content[0].created_at``, ``[2].id`` in a list body), and the message
    names it with what was expected and what came; ``content`` is the raw body.
    """

    reason = ""  # a from_dict error's message without its path (kept to write the message again under a prefix)

    def __init__(self, message: str, *, field: str | None = None, status_code: int = 0, content: bytes = b"") -> None:
        # Not super().__init__: the from_dict classes below also derive from KeyError or FieldTypeError.
        Exception.__init__(self, message)
        self.field = field
        self.status_code = status_code
        self.content = content

    @classmethod
    def from_exception(
        cls, exc: Exception, *, operation: str, status_code: int, content: bytes
    ) -> ResponseValidationError:
        """Describe why parsing a success body failed (``exc`` is what the parser raised)."""
        field: str | None = None
        if isinstance(exc, ResponseValidationError):  # from a model's from_dict: it names the path
            field = exc.field
            reason = model_error_message(field, exc.reason) if exc.reason else str(exc)
        elif isinstance(exc, json.JSONDecodeError):
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

    def prefixed(self, prefix: str) -> ResponseValidationError:
        """This error, its ``field`` now under ``prefix`` (a parent's key, or ``[index]`` of a list): how a
        nested model's error gets its path from the body's root as it propagates (the failure path only)."""
        path = self.field
        self.field = prefix if not path else prefix + path if path[0] == "[" else f"{prefix}.{path}"
        self.args = (self.field,) if isinstance(self, KeyError) else (model_error_message(self.field, self.reason),)
        return self


def model_error_message(field: str | None, reason: str) -> str:
    """How a ``from_dict`` error reads: the path of the value, then ``reason`` (what was expected, what came)."""
    return f"field {field!r} {reason}" if field else f"the JSON value {reason}"


# What a model's from_dict raises: a ResponseValidationError that is also the exception it raised before it
# named the path, so that `except KeyError` (or TypeError, FieldTypeError, ValueError) around it still
# catches it. Not exported: users catch ResponseValidationError.
class ModelKeyError(ResponseValidationError, KeyError):
    """A required key is missing; like any KeyError, its one argument (and its str()) is the key: its path."""


class ModelTypeError(ResponseValidationError, FieldTypeError):  # type: ignore[misc]  # (.field None: the root)
    """A value of the wrong JSON type (or out of its range)."""


class ModelValueError(ResponseValidationError, ValueError):
    """A string its field's type does not take (a UUID, a date-time), or an enum value of the wrong type."""


def model_error(
    kind: type[KeyError | TypeError | ValueError], field: str | None, reason: str, cause: BaseException
) -> ResponseValidationError:
    """The error ``from_dict`` raises for the value at ``field`` (None: the value it was given), ``cause``
    being what reading it raised; ``kind`` says which of the classes above."""
    error_class = ModelKeyError if kind is KeyError else ModelValueError if kind is ValueError else ModelTypeError
    error = error_class(model_error_message(field, reason), field=field)
    error.reason = reason
    if kind is KeyError:
        error.args = (field,)
    error.__cause__ = cause
    return error


# --- the chat stream ----------------------------------------------------------------------------------


class StreamError(CoderChatError):
    """Base class of the errors raised while following a chat stream."""


class StreamDecodeError(StreamError):
    """A frame could not be decoded; ``preview`` holds at most a few hundred characters of it."""

    def __init__(self, reason: str, preview: str = "") -> None:
        self.reason = reason
        self.preview = preview
        super().__init__(f"{reason}: {preview!r}" if preview else reason)


class StreamServerError(StreamError):
    """The server sent ``{"type": "error", "data": {"message", "detail"}}`` and will close the stream."""

    def __init__(self, message: str, detail: str | None = None) -> None:
        self.message = message
        self.detail = detail
        super().__init__(f"{message}: {detail}" if detail else message)


class StreamFrameTooLargeError(StreamError):
    """A frame over ``max_frame_bytes``; the stream ends (it is refused by its header, before its payload)."""

    def __init__(self, size: int | None, limit: int) -> None:
        self.size = size
        """The frame's size in bytes, when the transport learned it (``None`` otherwise)."""
        self.limit = limit
        of_size = "" if size is None else f" of {size} bytes"
        super().__init__(f"stream frame{of_size} exceeds max_frame_bytes={limit}")


class StreamDisconnectedError(StreamError):
    """The connection dropped; raised when ``reconnect=False`` or when reconnection attempts ran out."""


class StreamTimeoutError(StreamDisconnectedError, APITimeoutError):
    """The stream ended because the server went silent: no frame and no ping for ``idle_timeout`` seconds
    (with ``reconnect=False``), or the last reconnection attempt timed out (idle or handshake).

    Both a ``StreamDisconnectedError`` and an ``APITimeoutError``, so code that handles REST timeouts
    handles a silent stream the same way.
    """


# --- turns --------------------------------------------------------------------------------------------


class TurnError(CoderChatError):
    """A turn (a prompt and the agent's work on it) failed.

    ``message`` says why; ``result`` is the partial result of the turn (what arrived before it failed),
    or ``None`` when nothing did.
    """

    def __init__(self, message: str, result: Any = None) -> None:
        self.message = message
        self.result = result
        super().__init__(message)


class TurnTimeoutError(TurnError, APITimeoutError):
    """The turn did not finish within its timeout; also an ``APITimeoutError``. ``result`` holds what arrived."""


class ChatRequiresActionError(TurnError):
    """A prompt for a chat that waits for the results of client-side tool calls (status ``requires_action``),
    given no ``tools=`` to answer them: raised before the prompt is sent (Coder would queue it behind
    calls nobody answers). ``chat_id``; ``pending_tool_calls``: each call's ``.id``, ``.name`` and
    ``.args``, to answer with ``submit_tool_results``; ``result`` is ``None``."""

    def __init__(self, message: str, *, chat_id: UUID, pending_tool_calls: list[Any]) -> None:
        super().__init__(message)
        self.chat_id = chat_id
        self.pending_tool_calls = pending_tool_calls


# --- building errors ----------------------------------------------------------------------------------

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
    message: str = body["message"]
    return message, detail if isinstance(detail, str) and detail else None, validations


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


# Every class prints, pickles and is documented under its public module, as httpx's classes do: the
# users' import path, not this private one.
for _name in __all__:
    _value = globals()[_name]
    if isinstance(_value, type):
        _value.__module__ = "coder_chat.client.errors"
del _name, _value
