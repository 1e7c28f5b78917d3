"""Which failed requests are retried, and how long to wait: coder-chat's rules on top of httpx-retries."""

from __future__ import annotations

from typing import Any

import httpx
from httpx_retries import Retry

from .exceptions import parse_retry_after
from .retry_settings import DEFAULT_MAX_RETRIES, MAX_RETRIES_EXTENSION

__all__ = ["DEFAULT_MAX_RETRIES", "MAX_RETRIES_EXTENSION", "RetryPolicy"]

_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE", "PUT"})
# Failures that prove the request never reached the server: safe to retry for every method.
_NEVER_SENT_ERRORS: tuple[type[Exception], ...] = (httpx.ConnectError, httpx.ConnectTimeout)
# For idempotent methods, also the connection dropping mid-exchange. Not read timeouts: a server that
# accepts and never answers must fail within the timeout, not three times the timeout.
_IDEMPOTENT_ERRORS: tuple[type[Exception], ...] = (
    *_NEVER_SENT_ERRORS,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)


class _GiveUp:
    """Shared by a request's chain of RetryPolicy copies: set when the server asked for too long a wait."""

    __slots__ = ("retry_after_too_long",)

    def __init__(self) -> None:
        self.retry_after_too_long = False


class RetryPolicy(Retry):
    """httpx-retries' ``Retry`` with coder-chat's rules (one instance per request, made by ``for_request``).

    - GET/DELETE (idempotent) are retried on 429, 502, 503, 504, on connect failures and on read/write
      errors; POST/PATCH only on failures that prove the request never left (connect refused, connect
      timeout), since re-sending a message or an edit would duplicate a user's turn.
    - ``Retry-After`` (seconds or HTTP date) is honoured up to ``max_retry_after``; a longer one is not
      waited for: the answer comes back at once (and ``sync()`` raises ``RateLimitError`` with ``.retry_after``).
    """

    def __init__(self, *, idempotent: bool = True, max_retry_after: float = 60.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.idempotent = idempotent
        self.max_retry_after = max_retry_after
        self.give_up = _GiveUp()

    @classmethod
    def for_request(cls, method: str, *, max_retries: int, backoff: float, max_retry_after: float) -> RetryPolicy:
        idempotent = method.upper() in _IDEMPOTENT_METHODS
        return cls(
            idempotent=idempotent,
            max_retry_after=max_retry_after,
            total=max(0, max_retries),
            allowed_methods=[method],
            retry_on_exceptions=_IDEMPOTENT_ERRORS if idempotent else _NEVER_SENT_ERRORS,
            backoff_factor=backoff,
            max_backoff_wait=max(max_retry_after, backoff, 0.001),
        )

    def increment(self) -> RetryPolicy:
        # httpx-retries makes a new instance per attempt from its own arguments only: carry ours over.
        new = super().increment()
        assert isinstance(new, RetryPolicy)
        new.idempotent, new.max_retry_after, new.give_up = self.idempotent, self.max_retry_after, self.give_up
        return new

    def is_retryable_status_code(self, status_code: int) -> bool:
        return self.idempotent and super().is_retryable_status_code(status_code)

    def is_exhausted(self) -> bool:
        return self.give_up.retry_after_too_long or super().is_exhausted()

    def observe(self, response: httpx.Response) -> None:
        """Called with every answer before httpx-retries decides on it."""
        if self.is_retryable_status_code(response.status_code):
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            if retry_after is not None and retry_after > self.max_retry_after:
                self.give_up.retry_after_too_long = True
