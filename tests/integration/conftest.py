"""Fixtures for the integration suite: the fake Coder on loopback and generated clients pointed at it.

``fake`` (one per test; ``shared_fake`` for a module) checks every HTTP exchange against
``openapi.yaml`` and fails the test at teardown on any spec violation. ``admin`` / ``member`` are
``AuthenticatedClient``s with the fake's two users' tokens, ``anon`` is an unauthenticated ``Client``.
pytest-asyncio is not used: ``run_async`` runs a coroutine function with an ``AuthenticatedClient``
entered with ``async with`` inside ``asyncio.run``. ``fixture_json`` loads a file of the upstream
fixtures (``tests/conformance/fixtures``).

Test modules that define their own ``fake`` (the stream suites) override this one.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from coder_chat.client import AuthenticatedClient, Client
from tests.fakecoder import FakeCoder, Script
from tests.support.async_bridge import blocking_astream_chat

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "openapi.yaml"
FIXTURES = REPO / "tests" / "conformance" / "fixtures"

T = TypeVar("T")


@pytest.fixture
def fake() -> Iterator[FakeCoder]:
    """A fresh fake per test, validating its traffic against openapi.yaml."""
    with FakeCoder(script=Script(), validate_spec_path=SPEC) as server:
        yield server
    assert server.spec_violations == []


@pytest.fixture(scope="module")
def shared_fake() -> Iterator[FakeCoder]:
    """One validating fake for a whole module, for tests that leave no trace in its state (requests
    the server rejects before any handler runs): starting and stopping a fake costs ~0.1 s."""
    with FakeCoder(script=Script(auto_run=False), validate_spec_path=SPEC) as server:
        yield server
    assert server.spec_violations == []


@pytest.fixture
def admin(fake: FakeCoder) -> Iterator[AuthenticatedClient]:
    """The owner (admin) user's client."""
    with AuthenticatedClient(base_url=fake.url, token=fake.admin_token) as client:
        yield client


@pytest.fixture
def member(fake: FakeCoder) -> Iterator[AuthenticatedClient]:
    """A plain member's client (403 on provider and model-config routes)."""
    with AuthenticatedClient(base_url=fake.url, token=fake.member_token) as client:
        yield client


@pytest.fixture
def anon(fake: FakeCoder) -> Iterator[Client]:
    """A client without any session token."""
    with Client(base_url=fake.url) as client:
        yield client


class AsyncRunner:
    """``runner(fn)`` runs ``await fn(client)`` in a fresh event loop, with an ``AuthenticatedClient``
    (the admin's token unless ``token=`` says otherwise) that is closed afterwards."""

    def __init__(self, fake: FakeCoder) -> None:
        self.fake = fake

    def __call__(self, fn: Callable[[AuthenticatedClient], Coroutine[Any, Any, T]], *, token: str | None = None) -> T:
        async def main() -> T:
            client = AuthenticatedClient(
                base_url=self.fake.url, token=self.fake.admin_token if token is None else token
            )
            async with client:
                return await fn(client)

        return asyncio.run(main())


@pytest.fixture
def run_async(fake: FakeCoder) -> AsyncRunner:
    return AsyncRunner(fake)


@pytest.fixture
def fixture_json() -> Callable[[str], Any]:
    """Load an upstream fixture by its path under tests/conformance/fixtures."""

    def load(name: str) -> Any:
        return json.loads((FIXTURES / name).read_text(encoding="utf-8"))

    return load


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a stream test twice: against ``stream_chat``, then against ``astream_chat`` behind the blocking
    bridge (``tests/support/async_bridge.py``): for ``async`` the test module's ``stream_chat`` is swapped."""
    if request.param == "async":
        monkeypatch.setattr(request.module, "stream_chat", blocking_astream_chat)
    return str(request.param)
