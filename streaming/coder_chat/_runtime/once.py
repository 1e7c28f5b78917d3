"""``OnceCache``: a value computed at most once per owner, whatever the number of threads, tasks and event
loops asking at once (the clients' detected API generation and organization).

The first caller computes; the others wait for its answer (threads on a ``concurrent.futures.Future``,
tasks of any event loop through ``asyncio.wrap_future``). A computation that raises is not cached: the
callers waiting on it get the same exception and the next call computes again. A cancelled computation
hands nothing to its waiters: one of them computes instead.
"""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

__all__ = ["OnceCache"]

T = TypeVar("T")


class _OwnerGone(Exception):
    """Set on a computation whose owner was cancelled: its waiters compute again themselves."""


class OnceCache(Generic[T]):
    """One value, computed by the first caller of ``get``/``aget`` and kept (``None`` included)."""

    __slots__ = ("_done", "_inflight", "_lock", "_value")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done = False
        self._value: T | None = None
        self._inflight: concurrent.futures.Future[T] | None = None

    def _claim(self) -> tuple[bool, concurrent.futures.Future[T] | None]:
        """``(True, None)``: cached; ``(False, future)``: wait for it; ``(False, None)``: compute it now."""
        with self._lock:
            if self._done or self._inflight is not None:
                return self._done, self._inflight
            self._inflight = concurrent.futures.Future()
            return False, None

    @contextmanager
    def _computing(self) -> Iterator[Callable[[T], T]]:
        with self._lock:
            future = self._inflight
        assert future is not None

        def done(value: T) -> T:
            with self._lock:
                self._done, self._value, self._inflight = True, value, None
            future.set_result(value)
            return value

        try:
            yield done
        except BaseException as exc:
            with self._lock:
                self._inflight = None
            future.set_exception(exc if isinstance(exc, Exception) else _OwnerGone())
            raise

    def get(self, compute: Callable[[], T]) -> T:
        """The value: cached, awaited from another caller's computation, or ``compute()`` now."""
        while True:
            done, inflight = self._claim()
            if done:
                return self._value  # type: ignore[return-value]  # T, set by done()
            if inflight is None:
                with self._computing() as finish:
                    return finish(compute())
            try:
                return inflight.result()
            except _OwnerGone:
                continue

    async def aget(self, compute: Callable[[], Awaitable[T]]) -> T:
        """``get`` for async code: the same value and the same single computation."""
        import asyncio  # here, not at the top: `import coder_chat.client` loads no asyncio

        while True:
            done, inflight = self._claim()
            if done:
                return self._value  # type: ignore[return-value]  # T, set by done()
            if inflight is None:
                with self._computing() as finish:
                    return finish(await compute())
            try:
                # shield: a waiter that is cancelled must not cancel the computation the others wait on.
                return await asyncio.shield(asyncio.wrap_future(inflight))
            except _OwnerGone:
                continue
