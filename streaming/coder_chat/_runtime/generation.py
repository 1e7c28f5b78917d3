"""Which chat API generation a deployment serves: ``ApiGeneration``, the clients' ``api_generation=`` setting,
and the one probe that answers it (docs/protocol.md, "Two generations").

``detect_api(client)`` / ``await adetect_api(client)`` give the forced generation without a request, else the
result of ``GET /api/v2/chats?limit=1`` (404: experimental; any other HTTP answer: v2), cached on that
client object: whatever the number of threads, tasks and event loops asking at once, one probe runs and
the others wait for its answer. A transport failure raises ``APIConnectionError`` to every caller waiting
on that probe and is not cached: the next call probes again. ``coder_chat.streaming`` exports both, and
``coder_chat.client`` exports ``ApiGeneration``.
"""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Final

from .exceptions import translate_transport_errors

if TYPE_CHECKING:
    import httpx

    from .http import Client

__all__ = [
    "AUTO",
    "PROBE_PATH",
    "ApiGeneration",
    "GenerationCache",
    "adetect_api",
    "api_generation_setting",
    "detect_api",
]


class ApiGeneration(StrEnum):
    """A generation of Coder's chat API: ``V2`` (``/api/v2/chats``, Coder 2.37 and later) or ``EXPERIMENTAL``
    (``/api/experimental/chats``, Coder 2.37 and older)."""

    V2 = "v2"
    EXPERIMENTAL = "experimental"


# Printed and pickled under its public module, coder_chat.client.
ApiGeneration.__module__ = "coder_chat.client"

AUTO: Final = "auto"
"""The ``api_generation`` setting that asks the server (the default)."""

PROBE_PATH: Final = "/api/v2/chats"
"""The probe's route, asked with ``limit=1``: servers without the v2 chat API answer it 404."""
_PARAMS: Final = {"limit": 1}


def api_generation_setting(value: object) -> ApiGeneration | str:
    """The clients' ``api_generation=`` converter: ``"auto"``, or an ``ApiGeneration`` (or its value).

    Anything else raises when the client is built: ``TypeError`` for a value that is not a string,
    ``ValueError`` for an unknown string, both naming the accepted values.
    """
    if isinstance(value, ApiGeneration):
        return value
    if not isinstance(value, str):
        raise TypeError(f"api_generation must be 'auto', 'v2' or 'experimental', not {type(value).__name__}")
    if value == AUTO:
        return AUTO
    try:
        return ApiGeneration(value)
    except ValueError:
        raise ValueError(f"api_generation must be 'auto', 'v2' or 'experimental', not {value!r}") from None


def _from_answer(response: httpx.Response) -> ApiGeneration:
    # Any HTTP answer but a 404 means the route exists (a 401 too: the real call then raises it).
    return ApiGeneration.EXPERIMENTAL if response.status_code == 404 else ApiGeneration.V2


class _OwnerGone(Exception):
    """Set on a probe whose owner was cancelled: its waiters probe again themselves."""


class GenerationCache:
    """One client's detected generation, and the probe in flight (a ``concurrent.futures.Future``, which
    threads wait on directly and tasks of any event loop through ``asyncio.wrap_future``)."""

    __slots__ = ("_inflight", "_lock", "value")

    def __init__(self) -> None:
        self.value: ApiGeneration | None = None
        self._lock = threading.Lock()
        self._inflight: concurrent.futures.Future[ApiGeneration] | None = None

    def claim(self) -> tuple[ApiGeneration | None, concurrent.futures.Future[ApiGeneration] | None]:
        """``(value, None)`` when cached; ``(None, probe)`` for a probe in flight to wait for; ``(None, None)``
        when this caller is to probe (inside ``probing()``)."""
        with self._lock:
            if self.value is not None or self._inflight is not None:
                return self.value, self._inflight
            self._inflight = concurrent.futures.Future()
            return None, None

    @contextmanager
    def probing(self) -> Iterator[Callable[[ApiGeneration], ApiGeneration]]:
        """Around the owner's probe: gives ``done(generation)``, which caches and hands the answer to the
        waiters; an exception is handed to them (not cached), a cancelled owner makes them probe again."""
        with self._lock:
            future = self._inflight
        assert future is not None

        def done(generation: ApiGeneration) -> ApiGeneration:
            with self._lock:
                self.value, self._inflight = generation, None
            future.set_result(generation)
            return generation

        try:
            yield done
        except BaseException as exc:
            with self._lock:
                self._inflight = None
            future.set_exception(exc if isinstance(exc, Exception) else _OwnerGone())
            raise


def _forced(client: Client) -> ApiGeneration | None:
    setting = client.api_generation
    return setting if isinstance(setting, ApiGeneration) else None


def detect_api(client: Client) -> ApiGeneration:
    """The generation ``client`` talks to: forced, cached, or probed now (once for all threads)."""
    forced = _forced(client)
    if forced is not None:
        return forced
    cache = client._generation_cache  # this module is the cache's other half
    while True:
        value, inflight = cache.claim()
        if value is not None:
            return value
        if inflight is None:
            with cache.probing() as done, translate_transport_errors():
                return done(_from_answer(client.get_httpx_client().request("GET", PROBE_PATH, params=_PARAMS)))
        try:
            return inflight.result()
        except _OwnerGone:
            continue


async def adetect_api(client: Client) -> ApiGeneration:
    """``detect_api`` for async code: the same cache and the same single probe, over the async connection pool."""
    forced = _forced(client)
    if forced is not None:
        return forced
    cache = client._generation_cache  # this module is the cache's other half
    while True:
        value, inflight = cache.claim()
        if value is not None:
            return value
        if inflight is None:
            with cache.probing() as done, translate_transport_errors():
                response = await client.get_async_httpx_client().request("GET", PROBE_PATH, params=_PARAMS)
                return done(_from_answer(response))
        import asyncio  # here, not at the top: `import coder_chat.client` loads no asyncio

        try:
            # shield: a waiter that is cancelled must not cancel the probe the others wait on.
            return await asyncio.shield(asyncio.wrap_future(inflight))
        except _OwnerGone:
            continue
