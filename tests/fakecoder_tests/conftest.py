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
