"""The organization of a new chat (``_organizations``): the argument, ``CODER_ORGANIZATION`` (id or name),
else the caller's only or default organization; once per client; none on a server without the route.
Small loopback servers count the requests."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import UUID

import pytest

from coder_chat.client import AuthenticatedClient
from coder_chat.client.errors import AuthenticationError
from coder_chat.streaming._organizations import aresolve_organization, resolve_organization
from tests.support.scripted_http import RecordedRequest, Reply, ScriptedServer

pytestmark = pytest.mark.timeout(30)

ACME = UUID("703f72a1-1c6a-4b1b-9d2c-0e7c4b5a6d70")
LABS = UUID("11111111-2222-4333-8444-555555555555")
ROUTE = "/api/v2/users/me/organizations"


def org(uuid: UUID, name: str, *, default: bool = False) -> dict[str, Any]:
    return {
        "id": str(uuid),
        "name": name,
        "display_name": name.title(),
        "description": "",
        "icon": "",
        "is_default": default,
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
    }


@pytest.fixture(autouse=True)
def no_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CODER_ORGANIZATION", raising=False)


def serve(orgs: Any, status: int = 200, delay: float = 0.0) -> ScriptedServer:
    def handler(request: RecordedRequest) -> Reply:
        time.sleep(delay)
        if request.path != ROUTE:
            return Reply(404, {"message": "Route not found."})
        return Reply(status, orgs)

    return ScriptedServer(handler)


@pytest.fixture
def client_for() -> Iterator[Any]:
    clients: list[AuthenticatedClient] = []

    def make(server: ScriptedServer) -> AuthenticatedClient:
        clients.append(AuthenticatedClient(base_url=server.url, token="t", max_retries=0))
        return clients[-1]

    yield make
    for client in clients:
        client.close()


def test_the_only_organization(client_for: Any) -> None:
    with serve([org(ACME, "acme")]) as server:
        client = client_for(server)
        assert resolve_organization(client) == ACME
        assert resolve_organization(client) == ACME
    assert [r.path for r in server.requests] == [ROUTE]
    assert server.requests[0].headers["coder-session-token"] == "t"


def test_the_default_among_several(client_for: Any) -> None:
    with serve([org(LABS, "labs"), org(ACME, "acme", default=True)]) as server:
        assert resolve_organization(client_for(server)) == ACME


def test_several_and_none_default_names_them(client_for: Any) -> None:
    with serve([org(LABS, "labs"), org(ACME, "acme")]) as server:
        client = client_for(server)
        with pytest.raises(ValueError, match="several organizations and none is the default") as info:
            resolve_organization(client)
        assert f"labs ({LABS}), acme ({ACME})" in str(info.value)
        assert "CODER_ORGANIZATION" in str(info.value) and "organization_id=" in str(info.value)
        # A failure is not kept: the next call asks again (and fails again).
        with pytest.raises(ValueError, match="none is the default"):
            resolve_organization(client)
    assert len(server.requests) == 2


def test_no_organization_at_all(client_for: Any) -> None:
    with serve([]) as server, pytest.raises(ValueError, match="member of no organization"):
        resolve_organization(client_for(server))


def test_the_argument_wins_without_a_request(client_for: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODER_ORGANIZATION", "labs")
    with serve([org(ACME, "acme")]) as server:
        client = client_for(server)
        assert resolve_organization(client, ACME) == ACME
        assert resolve_organization(client, f" {LABS} ") == LABS
        assert asyncio.run(aresolve_organization(client, str(ACME))) == ACME
        with pytest.raises(ValueError, match="organization_id must be a UUID or its string, not 'acme'"):
            resolve_organization(client, "acme")
    assert server.requests == []


def test_the_variable_as_an_id_needs_no_request(client_for: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODER_ORGANIZATION", str(LABS))
    with serve([org(ACME, "acme")]) as server:
        assert resolve_organization(client_for(server)) == LABS
    assert server.requests == []


@pytest.mark.parametrize("name", ["labs", "LABS", " labs "])
def test_the_variable_as_a_name(client_for: Any, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv("CODER_ORGANIZATION", name)
    with serve([org(ACME, "acme", default=True), org(LABS, "labs")]) as server:
        assert resolve_organization(client_for(server)) == LABS


def test_the_variable_naming_no_organization_of_the_caller(client_for: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODER_ORGANIZATION", "nope")
    with serve([org(ACME, "acme", default=True)]) as server, pytest.raises(ValueError) as info:
        resolve_organization(client_for(server))
    assert (
        str(info.value)
        == f"CODER_ORGANIZATION='nope': you are not a member of an organization of that name (yours: acme ({ACME}))"
    )


def test_a_server_without_the_route_gives_none_once(client_for: Any) -> None:
    with serve({"message": "Route not found."}, status=404) as server:  # as an experimental-generation server
        client = client_for(server)
        assert resolve_organization(client) is None
        assert resolve_organization(client) is None
        assert asyncio.run(aresolve_organization(client)) is None
    assert len(server.requests) == 1


def test_a_name_on_a_server_without_the_route_is_refused(client_for: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODER_ORGANIZATION", "acme")
    with (
        serve({"message": "Route not found."}, status=404) as server,
        pytest.raises(ValueError, match="set it to the organization's id"),
    ):
        resolve_organization(client_for(server))


def test_other_errors_raise_typed(client_for: Any) -> None:
    with serve({"message": "You are signed out."}, status=401) as server, pytest.raises(AuthenticationError):
        resolve_organization(client_for(server))


def test_many_threads_and_tasks_one_request(client_for: Any) -> None:
    with serve([org(ACME, "acme")], delay=0.3) as server:
        client = client_for(server)
        start = threading.Barrier(8)

        def ask(_: int) -> UUID | None:
            start.wait()
            return resolve_organization(client)

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(ask, range(8)))

        async def main() -> list[UUID | None]:
            try:
                return list(await asyncio.gather(*(aresolve_organization(client) for _ in range(5))))
            finally:
                await client.aclose()

        answers += asyncio.run(main())
    assert answers == [ACME] * 13
    assert len(server.requests) == 1


def test_async_resolves_and_caches_too(client_for: Any) -> None:
    with serve([org(LABS, "labs"), org(ACME, "acme", default=True)]) as server:
        client = client_for(server)

        async def main() -> tuple[UUID | None, UUID | None]:
            try:
                return await aresolve_organization(client), await aresolve_organization(client)
            finally:
                await client.aclose()

        assert asyncio.run(main()) == (ACME, ACME)
        assert resolve_organization(client) == ACME
    assert len(server.requests) == 1
