"""Deadlines of turns: what is left of one, the ``TurnTimeoutError`` that says what the turn was doing,
and ``_step``, which bounds each REST call of a sync turn on the client's own connection pool.

Async code uses ``asyncio.timeout``. Sync code bounds each REST call with ``_step``: a request hook
(``_cap_to_deadline``, added once to the client's ``httpx.Client``, inert outside a step) shortens the
per-request timeouts httpx keeps in ``request.extensions["timeout"]`` to what is left of the turn's
deadline (a context variable).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar

import httpx

from coder_chat._runtime.exceptions import APITimeoutError, TurnTimeoutError
from coder_chat.client import Client

from .turnresult import TurnResult

__all__ = ["_deadline", "_remaining", "_step", "_timeout_error"]


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - time.monotonic())


def _deadline(timeout: float | None) -> float | None:
    """The monotonic time ``timeout`` seconds from now, or ``None`` (no timeout). A timeout longer than a
    thread can wait (``threading.TIMEOUT_MAX``, some 292 years) is that long; a negative one, NaN or a
    boolean is the caller's bug."""
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise TypeError(f"timeout must be a number of seconds or None, not {type(timeout).__name__}")
    if not timeout >= 0:  # NaN too
        raise ValueError(f"timeout must be a number of seconds, at least 0, not {timeout!r}")
    return time.monotonic() + min(timeout, threading.TIMEOUT_MAX)


def _timeout_error(timeout: float | None, doing: str, result: TurnResult | None = None) -> TurnTimeoutError:
    return TurnTimeoutError(f"the turn did not end within {timeout} s while {doing}", result=result)


_DEADLINE: ContextVar[float | None] = ContextVar("coder_chat_turn_deadline", default=None)
"""The monotonic deadline of the sync turn being opened or read on this thread (``_step``)."""


def _cap_to_deadline(request: httpx.Request) -> None:
    """An httpx request hook: inside ``_step``, every timeout of the request ends by the turn's deadline."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return
    left = max(deadline - time.monotonic(), 0.001)
    timeouts = request.extensions.get("timeout", {})
    request.extensions["timeout"] = {name: left if t is None else min(t, left) for name, t in timeouts.items()}


@contextlib.contextmanager
def _step(
    client: Client,
    doing: str,
    deadline: float | None,
    timeout: float | None,
    partial: Callable[[], TurnResult] | None = None,
) -> Iterator[None]:
    """One REST call or connection of a sync turn, bounded by the turn's deadline on the client's pool:
    an ``APITimeoutError`` once the deadline passed becomes a ``TurnTimeoutError`` naming ``doing``
    (with ``partial()`` as its result, when the turn has one)."""
    if deadline is None:
        yield
        return
    if not _remaining(deadline):
        raise _timeout_error(timeout, doing, None if partial is None else partial())
    hooks = client.get_httpx_client().event_hooks["request"]
    if _cap_to_deadline not in hooks:
        hooks.append(_cap_to_deadline)
    token = _DEADLINE.set(deadline)
    try:
        yield
    except APITimeoutError as exc:
        if isinstance(exc, TurnTimeoutError) or _remaining(deadline):
            raise  # the client's own timeout, shorter than the turn's: not the turn's deadline
        raise _timeout_error(timeout, doing, None if partial is None else partial()) from exc
    finally:
        _DEADLINE.reset(token)
