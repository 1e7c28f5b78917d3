"""Fixtures and helpers for the fake server's own tests (raw httpx + websocket-client)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websocket

from tests.fakecoder import FakeCoder, Script

API = "/api/experimental/chats"
Event = dict[str, Any]


SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"


@pytest.fixture
def fake(request: pytest.FixtureRequest) -> Iterator[FakeCoder]:
    """A fresh fake per test. Its traffic is checked against openapi.yaml unless the test
    is marked `off_spec` (it sends requests the spec does not describe on purpose)."""
    off_spec = request.node.get_closest_marker("off_spec") is not None
    with FakeCoder(script=Script(), validate_spec_path=None if off_spec else SPEC) as server:
        yield server
    assert server.spec_violations == []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "off_spec: the test sends requests outside openapi.yaml")


def client(fake: FakeCoder, token: str | None = None, **headers: str) -> httpx.Client:
    """An httpx client with the admin token (or `token`; "" means none)."""
    token = fake.admin_token if token is None else token
    all_headers = {"Coder-Session-Token": token} if token else {}
    all_headers.update(headers)
    return httpx.Client(base_url=fake.url, headers=all_headers, timeout=5.0)


@pytest.fixture
def admin(fake: FakeCoder) -> Iterator[httpx.Client]:
    with client(fake) as c:
        yield c


@pytest.fixture
def member(fake: FakeCoder) -> Iterator[httpx.Client]:
    with client(fake, fake.member_token) as c:
        yield c


def text(value: str) -> dict[str, Any]:
    return {"content": [{"type": "text", "text": value}]}


def create_chat(c: httpx.Client, prompt: str = "hello") -> dict[str, Any]:
    r = c.post(API, json=text(prompt))
    assert r.status_code == 201, r.text
    return dict(r.json())


def open_stream(
    fake: FakeCoder, chat_id: str, *, token: str | None = None, query: str = "", timeout: float = 3.0
) -> websocket.WebSocket:
    token = fake.admin_token if token is None else token
    url = f"{fake.ws_url}{API}/{chat_id}/stream{query}"
    return websocket.create_connection(url, header=[f"Coder-Session-Token: {token}"], timeout=timeout)


def decode(frame: str | bytes) -> list[Event]:
    """Events of one frame in any of the three formats the fake can send."""
    value = json.loads(frame)
    if isinstance(value, list):
        return value
    assert value["type"] == "data", value
    data = value["data"]
    return data if isinstance(data, list) else [data]


def read_until(ws: websocket.WebSocket, done: Callable[[list[Event]], bool], timeout: float = 5.0) -> list[Event]:
    """Collect events until `done(events)` holds; fail after `timeout` seconds."""
    events: list[Event] = []
    deadline = time.monotonic() + timeout
    while not done(events):
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"timed out; got {len(events)} events: {events[-5:]}"
        ws.settimeout(remaining)
        events.extend(decode(ws.recv()))
    return events


def status_is(value: str) -> Callable[[list[Event]], bool]:
    def done(events: list[Event]) -> bool:
        return bool(events) and events[-1]["type"] == "status" and events[-1]["status"]["status"] == value

    return done


def statuses(events: list[Event]) -> list[str]:
    return [e["status"]["status"] for e in events if e["type"] == "status"]


def wait_for(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.005)


def finish(ws: websocket.WebSocket) -> None:
    """Close politely, then make sure the socket is gone (websocket-client skips that
    when the server closed first)."""
    ws.close(timeout=1)
    ws.shutdown()  # type: ignore[no-untyped-call]


# --- the v2 generation -----------------------------------------------------------------

V2 = "/api/v2/chats"
V2_GENERATIONS = ("2.37", "current")


@pytest.fixture(params=V2_GENERATIONS)
def v2fake(request: pytest.FixtureRequest) -> Iterator[FakeCoder]:
    """A fresh v2 fake per test, for each v2 generation; its traffic is checked against openapi.yaml."""
    off_spec = request.node.get_closest_marker("off_spec") is not None
    with FakeCoder(script=Script(), generation=request.param, validate_spec_path=None if off_spec else SPEC) as server:
        yield server
    assert server.spec_violations == []


@pytest.fixture
def v2admin(v2fake: FakeCoder) -> Iterator[httpx.Client]:
    with client(v2fake) as c:
        yield c


def v2_create(c: httpx.Client, fake: FakeCoder, prompt: str = "hello", **fields: Any) -> dict[str, Any]:
    """POST /api/v2/chats in the fake's organization; the created `Chat`."""
    r = c.post(V2, json={"organization_id": fake.organization_id, **text(prompt), **fields})
    assert r.status_code == 201, r.text
    return dict(r.json())


def open_v2_stream(
    fake: FakeCoder, chat_id: str, *, query: str = "", prefix: str = V2, timeout: float = 3.0
) -> websocket.WebSocket:
    url = f"{fake.ws_url}{prefix}/{chat_id}/stream{query}"
    return websocket.create_connection(url, header=[f"Coder-Session-Token: {fake.admin_token}"], timeout=timeout)


def bare_events(ws: websocket.WebSocket) -> list[Event]:
    """One v2 stream frame: a bare JSON array (never an envelope), ending in Go's newline."""
    frame = ws.recv()
    assert isinstance(frame, str) and frame.endswith("\n"), frame
    value = json.loads(frame)
    assert isinstance(value, list) and value, frame
    return value


def read_bare_until(ws: websocket.WebSocket, done: Callable[[list[Event]], bool], timeout: float = 5.0) -> list[Event]:
    """Collect bare-array events until `done(events)` holds; fail after `timeout` seconds."""
    events: list[Event] = []
    deadline = time.monotonic() + timeout
    while not done(events):
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"timed out; got {len(events)} events: {events[-5:]}"
        ws.settimeout(remaining)
        events.extend(bare_events(ws))
    return events


def kinds(events: list[Event]) -> list[str]:
    return [e["type"] for e in events]
