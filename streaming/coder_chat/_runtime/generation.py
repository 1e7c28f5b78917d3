"""Which chat API generation a deployment serves: ``ApiGeneration``, the clients' ``api_generation=`` setting,
and the one probe that answers it (docs/protocol.md, "Two generations").

``detect_api(client)`` / ``await adetect_api(client)`` give the forced generation without a request, else
the result of ``GET /api/v2/chats?limit=1`` (404: experimental; any other HTTP answer: v2), cached on that
client object (a ``OnceCache``): whatever the number of threads, tasks and event loops asking at once,
one probe runs and the others wait for its answer. A transport failure raises ``APIConnectionError`` to
every caller waiting on that probe and is not cached: the next call probes again.
``coder_chat.streaming`` exports both functions; ``coder_chat.client`` and it export ``ApiGeneration``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Final

from .exceptions import api_error_from_response, translate_transport_errors

if TYPE_CHECKING:
    import httpx

    from .http import Client

__all__ = [
    "AUTO",
    "PROBE_PATH",
    "ApiGeneration",
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
    """404: no such route. Any other answer means the route exists (a 401 too: the real call then raises
    it), but a 429 or 5xx, often a proxy's, says only that no answer came now: raised, and not kept, as
    a transport failure is (the next call asks again)."""
    status = response.status_code
    if status == 429 or status >= 500:
        raise api_error_from_response(status, response.content, response.headers)
    return ApiGeneration.EXPERIMENTAL if status == 404 else ApiGeneration.V2


def _forced(client: Client) -> ApiGeneration | None:
    try:
        setting = client.api_generation
    except AttributeError:  # the first thing every task-level call asks of its client
        raise TypeError(f"client must be a Client or an AuthenticatedClient, not {type(client).__name__}") from None
    return setting if isinstance(setting, ApiGeneration) else None


def detect_api(client: Client) -> ApiGeneration:
    """The chat API generation ``client``'s deployment serves: its ``api_generation`` when forced, else the
    answer of one probe per client object (``GET /api/v2/chats?limit=1``: 404 means experimental).

    Raises ``APIConnectionError`` (``APITimeoutError``) when the probe gets no HTTP answer; that is not kept.
    """
    forced = _forced(client)
    if forced is not None:
        return forced

    def probe() -> ApiGeneration:
        with translate_transport_errors():
            return _from_answer(client.get_httpx_client().request("GET", PROBE_PATH, params=_PARAMS))

    return client._generation_cache.get(probe)  # this module is the cache's other half


async def adetect_api(client: Client) -> ApiGeneration:
    """``detect_api`` for async code: the same cache and the same single probe, over the async connection pool."""
    forced = _forced(client)
    if forced is not None:
        return forced

    async def probe() -> ApiGeneration:
        with translate_transport_errors():
            return _from_answer(await client.get_async_httpx_client().request("GET", PROBE_PATH, params=_PARAMS))

    return await client._generation_cache.aget(probe)  # this module is the cache's other half
