"""Keep credentials out of stream errors: a server may echo a token back in a frame or an error body.

The transport knows the client's credential values (``secrets_of``) and passes every decode or server
error through ``mask_error`` before raising it, and every detail of its log records through ``mask_text``.
``decode_frame`` itself masks secret-named JSON members.
"""

from __future__ import annotations

from coder_chat._runtime.exceptions import StreamDecodeError, StreamError, StreamServerError
from coder_chat.client import Client

__all__ = ["REDACTED", "mask_error", "mask_text", "secrets_of"]

REDACTED = "[REDACTED]"
_MIN_SECRET_CHARS = 8  # shorter credential values are not masked: they would match ordinary text


def secrets_of(client: Client) -> tuple[str, ...]:
    """The credential values to mask: each header value, and the token after a prefix such as ``Bearer``."""
    found: set[str] = set()
    for value in client.credential_headers().values():
        found.update((value, value.split(" ")[-1]))
    return tuple(sorted((v for v in found if len(v) >= _MIN_SECRET_CHARS), key=len, reverse=True))


def mask_text(text: str, secrets: tuple[str, ...]) -> str:
    """``text`` with every secret masked, including one cut short at the end (previews are prefixes)."""
    for secret in secrets:
        text = text.replace(secret, REDACTED)
        for length in range(len(secret) - 1, 3, -1):
            if text.endswith(secret[:length]):
                text = text[:-length] + REDACTED
                break
    return text


def mask_error(exc: StreamDecodeError | StreamServerError, secrets: tuple[str, ...]) -> StreamError:
    """``exc`` itself when it holds no secret, else an equal exception with the secrets masked.

    The cause is kept unless its text shows a secret (a ``UnicodeDecodeError``'s repr holds the frame).
    """
    if not secrets:
        return exc
    cause = exc.__cause__
    cause_leaks = cause is not None and any(secret in f"{cause!s} {cause!r}" for secret in secrets)
    masked: StreamDecodeError | StreamServerError
    if isinstance(exc, StreamDecodeError):
        reason, preview = mask_text(exc.reason, secrets), mask_text(exc.preview, secrets)
        if (reason, preview) == (exc.reason, exc.preview) and not cause_leaks:
            return exc
        masked = StreamDecodeError(reason, preview)
    else:
        message = mask_text(exc.message, secrets)
        detail = None if exc.detail is None else mask_text(exc.detail, secrets)
        if (message, detail) == (exc.message, exc.detail) and not cause_leaks:
            return exc
        masked = StreamServerError(message, detail)
    if not cause_leaks:
        masked.__cause__ = cause
    masked.__suppress_context__ = True
    return masked
