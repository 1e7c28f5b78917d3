"""``detect_api`` / ``adetect_api`` against small servers on 127.0.0.1 that count the probes: which answer
means which generation, one probe per client object whatever the threads and tasks, and a transport
failure that raises and is not cached."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from coder_chat.client import ApiGeneration, AuthenticatedClient, Client
from coder_chat.client.errors import APIConnectionError, APIError
from coder_chat.streaming import adetect_api, detect_api
from tests.support.scripted_http import RecordedRequest, Reply, ScriptedServer

pytestmark = pytest.mark.timeout(30)

NOT_FOUND = Reply(404, {"message": "Route not found."})
SIGNED_OUT = Reply(401, {"message": "You are signed out or your session has expired."})


def probes(server: ScriptedServer) -> list[str]:
    return [f"{r.method} {r.path}" for r in server.requests]


def adetect_once(client: Client) -> ApiGeneration:
    """``adetect_api`` in an event loop of its own, closing the async connection pool it opens."""

    async def main() -> ApiGeneration:
        try:
            return await adetect_api(client)
        finally:
            await client.aclose()

    return asyncio.run(main())


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (NOT_FOUND, ApiGeneration.EXPERIMENTAL),
        (Reply(200, []), ApiGeneration.V2),
        (SIGNED_OUT, ApiGeneration.V2),  # the route exists; the real call raises the 401
        (Reply(403, {"message": "Forbidden."}), ApiGeneration.V2),
        (Reply(405, "method not allowed"), ApiGeneration.V2),
        (Reply(200, b"<html>not json</html>", {"Content-Type": "text/html"}), ApiGeneration.V2),
    ],
)
def test_the_answer_decides_and_is_cached(reply: Reply, expected: ApiGeneration) -> None:
    with ScriptedServer(reply) as server, AuthenticatedClient(base_url=server.url, token="t") as client:
        assert detect_api(client) is expected
        assert detect_api(client) is expected
        assert adetect_once(client) is expected
    assert probes(server) == ["GET /api/v2/chats?limit=1"]
    assert server.requests[0].headers["coder-session-token"] == "t"


def test_an_unauthenticated_client_probes_too() -> None:
    with ScriptedServer(SIGNED_OUT) as server, Client(base_url=server.url) as client:
        assert detect_api(client) is ApiGeneration.V2
    assert probes(server) == ["GET /api/v2/chats?limit=1"]
    assert "coder-session-token" not in server.requests[0].headers


def test_a_forced_generation_sends_nothing() -> None:
    with ScriptedServer(NOT_FOUND) as server:
        for forced in ApiGeneration:
            client = AuthenticatedClient(base_url=server.url, token="t", api_generation=forced)
            assert detect_api(client) is forced
            assert adetect_once(client) is forced
    assert server.requests == []


def test_each_client_object_probes_once_for_itself() -> None:
    """The cache belongs to the client object: a derived client keeps the setting and probes for itself."""
    with ScriptedServer(NOT_FOUND) as server:
        client = AuthenticatedClient(base_url=server.url, token="t")
        assert detect_api(client) is ApiGeneration.EXPERIMENTAL
        with client.with_headers({"X-Extra": "1"}) as derived:
            assert derived.api_generation == "auto"
            assert detect_api(derived) is ApiGeneration.EXPERIMENTAL
        assert detect_api(client) is ApiGeneration.EXPERIMENTAL
        client.close()
    assert len(server.requests) == 2
    assert server.requests[1].headers["x-extra"] == "1"


def slow(reply: Reply, seconds: float) -> ScriptedServer:
    def handler(_request: RecordedRequest) -> Reply:
        time.sleep(seconds)
        return reply

    return ScriptedServer(handler)


def test_many_threads_one_probe() -> None:
    with slow(Reply(200, []), 0.3) as server, AuthenticatedClient(base_url=server.url, token="t") as client:
        start = threading.Barrier(16)

        def ask(_: int) -> ApiGeneration:
            start.wait()
            return detect_api(client)

        with ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(ask, range(16)))
    assert answers == [ApiGeneration.V2] * 16
    assert len(server.requests) == 1


def test_many_tasks_one_probe_and_threads_share_it() -> None:
    with slow(NOT_FOUND, 0.3) as server, AuthenticatedClient(base_url=server.url, token="t") as client:

        async def main() -> list[ApiGeneration]:
            thread_answer = asyncio.get_running_loop().run_in_executor(None, detect_api, client)
            answers = await asyncio.gather(*(adetect_api(client) for _ in range(12)))
            await client.aclose()
            return [*answers, await thread_answer]

        answers = asyncio.run(main())
    assert answers == [ApiGeneration.EXPERIMENTAL] * 13
    assert len(server.requests) == 1


# The two cancellation tests cancel 0.1 s into a probe the server answers after 1 s: a wide margin on a busy machine.
def test_a_cancelled_waiter_leaves_the_probe_running() -> None:
    with slow(Reply(200, []), 1.0) as server, AuthenticatedClient(base_url=server.url, token="t") as client:

        async def main() -> ApiGeneration:
            owner = asyncio.create_task(adetect_api(client))
            await asyncio.sleep(0.05)
            waiter = asyncio.create_task(adetect_api(client))
            await asyncio.sleep(0.05)
            waiter.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiter
            try:
                return await owner
            finally:
                await client.aclose()

        assert asyncio.run(main()) is ApiGeneration.V2
    assert len(server.requests) == 1


def test_a_cancelled_prober_lets_the_next_caller_probe() -> None:
    with slow(NOT_FOUND, 1.0) as server, AuthenticatedClient(base_url=server.url, token="t") as client:

        async def main() -> ApiGeneration:
            owner = asyncio.create_task(adetect_api(client))
            await asyncio.sleep(0.05)
            waiter = asyncio.create_task(adetect_api(client))
            await asyncio.sleep(0.05)
            owner.cancel()
            with pytest.raises(asyncio.CancelledError):
                await owner
            try:
                return await waiter  # probes again itself
            finally:
                await client.aclose()

        assert asyncio.run(main()) is ApiGeneration.EXPERIMENTAL
    assert len(server.requests) == 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_refused_connection_raises_and_is_not_cached() -> None:
    client = AuthenticatedClient(base_url=f"http://127.0.0.1:{free_port()}", token="t", max_retries=0)
    with pytest.raises(APIConnectionError, match="request failed"):
        detect_api(client)
    with pytest.raises(APIConnectionError, match="request failed"):
        adetect_once(client)
    client.close()


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_a_server_that_cannot_answer_now_raises_and_is_probed_again(status: int) -> None:
    """A 429 or 5xx (often a proxy's) says nothing of the route: it is raised, not kept, and the next call
    asks again (kept as v2, it made every later call of the client meet the experimental server's 404)."""
    replies = iter([Reply(status, {"message": "Not now."}), NOT_FOUND, NOT_FOUND])
    with (
        ScriptedServer(lambda _request: next(replies)) as server,
        AuthenticatedClient(base_url=server.url, token="t", max_retries=0) as client,
    ):
        with pytest.raises(APIError) as info:
            detect_api(client)
        assert (info.value.status_code, info.value.message) == (status, "Not now.")
        assert detect_api(client) is ApiGeneration.EXPERIMENTAL
        assert detect_api(client) is ApiGeneration.EXPERIMENTAL
    assert probes(server) == ["GET /api/v2/chats?limit=1"] * 2


@pytest.fixture
def hang_up_first() -> Iterator[tuple[str, list[int]]]:
    """A server that closes the first connection without answering, then answers 404 to every request."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    accepted: list[int] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                accepted.append(1)
                conn.settimeout(5)
                request = b""
                while b"\r\n\r\n" not in request:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    request += chunk
                if len(accepted) == 1:
                    continue  # hang up without a word
                body = b'{"message":"Route not found."}'
                conn.sendall(
                    b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nConnection: close\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    host, port = listener.getsockname()[:2]
    yield f"http://{host}:{port}", accepted
    stop.set()
    thread.join(5)
    listener.close()


def test_a_failed_probe_is_probed_again(hang_up_first: tuple[str, list[int]]) -> None:
    url, accepted = hang_up_first
    with AuthenticatedClient(base_url=url, token="t", max_retries=0) as client:
        with pytest.raises(APIConnectionError) as info:
            detect_api(client)
        assert info.value.__cause__ is not None
        assert detect_api(client) is ApiGeneration.EXPERIMENTAL
        assert detect_api(client) is ApiGeneration.EXPERIMENTAL
    assert len(accepted) == 2


def test_a_failed_probe_fails_every_thread_waiting_on_it(hang_up_first: tuple[str, list[int]]) -> None:
    url, accepted = hang_up_first
    with AuthenticatedClient(base_url=url, token="t", max_retries=0) as client:
        start = threading.Barrier(4)

        def ask(_: int) -> ApiGeneration | str:
            start.wait()
            try:
                return detect_api(client)
            except APIConnectionError:
                return "failed"

        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(ask, range(4)))
        # The first probe hangs up: whoever waited on it fails with it; any later caller probes again.
        assert "failed" in answers
        assert set(answers) <= {"failed", ApiGeneration.EXPERIMENTAL}
        assert detect_api(client) is ApiGeneration.EXPERIMENTAL
    assert len(accepted) == 2
