"""Which routes each generation serves (API-v2.md §0.2, §1.4): one table, every generation."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import httpx
import pytest
import websocket

from tests.fakecoder import FakeCoder, Script
from tests.fakecoder.generation import GENERATION_NAMES

from .conftest import SPEC, V2, bare_events, client, finish, open_v2_stream, text

EXP = "/api/experimental/chats"
NOT_FOUND = {"message": "Route not found."}
BAD_CHAT = {"message": 'Invalid UUID "chat".', "detail": "invalid UUID length: 6"}
BAD_CHAT_9 = "invalid UUID length: 9"
GONE = {
    "message": "Legacy chat provider APIs were removed. Use AI provider APIs instead.",
    "detail": "See https://coder.com/docs/ai-coder/agents/models#providers for AI provider configuration.",
}
SIGNED_OUT = "You are signed out or your session has expired. Please sign in again to continue."
VERSIONS = {"experimental": "v2.36.4", "2.37": "v2.37.0", "current": "v2.39.0"}

# (method, path, with token) -> (status, exact body or None) per generation.
ROUTES: list[tuple[str, str, bool, dict[str, tuple[int, object]]]] = [
    ("GET", V2, True, {"experimental": (404, NOT_FOUND), "2.37": (200, []), "current": (200, [])}),
    ("GET", V2, False, {"experimental": (404, NOT_FOUND), "2.37": (401, None), "current": (401, None)}),
    ("GET", EXP, True, {"experimental": (200, []), "2.37": (200, []), "current": (404, NOT_FOUND)}),
    (
        "GET",
        EXP + "/providers",
        True,
        {"experimental": (200, None), "2.37": (410, GONE), "current": (400, {**BAD_CHAT, "detail": BAD_CHAT_9})},
    ),
    ("DELETE", EXP + "/providers/x", True, {"experimental": (400, None), "2.37": (410, GONE), "current": (400, None)}),
    (
        "GET",
        EXP + "/models",
        True,
        {"experimental": (200, None), "2.37": (404, NOT_FOUND), "current": (400, BAD_CHAT)},
    ),
    (
        "GET",
        V2 + "/models",
        True,
        {"experimental": (404, NOT_FOUND), "2.37": (400, BAD_CHAT), "current": (400, BAD_CHAT)},
    ),
    (
        "GET",
        V2 + "/model-configs",
        True,
        {"experimental": (404, NOT_FOUND), "2.37": (404, NOT_FOUND), "current": (404, NOT_FOUND)},
    ),
    (
        "GET",
        V2 + "/providers",
        True,
        {"experimental": (404, NOT_FOUND), "2.37": (404, NOT_FOUND), "current": (400, None)},
    ),
]


@pytest.fixture(params=GENERATION_NAMES)
def any_fake(request: pytest.FixtureRequest) -> Iterator[FakeCoder]:
    """Each generation in turn; probes of routes a generation lacks are off the spec on purpose."""
    with FakeCoder(script=Script(), generation=request.param) as server:
        yield server


@pytest.mark.parametrize(("method", "path", "token", "expected"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES])
def test_routes_per_generation(
    any_fake: FakeCoder, method: str, path: str, token: bool, expected: dict[str, tuple[int, object]]
) -> None:
    status, body = expected[any_fake.generation.name]
    with client(any_fake, None if token else "") as c:
        r = c.request(method, path)
    assert r.status_code == status, r.text
    if body is not None:
        assert r.json() == body
    if status == 401:
        assert r.json()["message"] == SIGNED_OUT


def test_buildinfo_and_organizations_on_every_generation(any_fake: FakeCoder) -> None:
    info = httpx.get(any_fake.url + "/api/v2/buildinfo", timeout=5)  # no token needed
    assert info.status_code == 200
    assert info.json()["version"] == VERSIONS[any_fake.generation.name]
    assert info.json()["dashboard_url"] == any_fake.url
    with client(any_fake, any_fake.member_token) as c:
        orgs = c.get("/api/v2/users/me/organizations").json()
        me = c.get("/api/v2/users/me").json()
        by_name = c.get("/api/v2/organizations/coder").json()
        default = c.get("/api/v2/organizations/default").json()
        assert c.get("/api/v2/organizations/nope").status_code == 404
        assert c.get(f"/api/v2/users/{any_fake.admin_id}/organizations").status_code == 404
    assert [o["id"] for o in orgs] == [any_fake.organization_id] and orgs[0]["is_default"] is True
    assert me["id"] == any_fake.member_id and me["organization_ids"] == [any_fake.organization_id]
    assert by_name == default == orgs[0]


def test_2_37_serves_the_same_v2_api_on_both_prefixes() -> None:
    with FakeCoder(generation="2.37", validate_spec_path=SPEC) as fake, client(fake) as c:
        org = fake.organization_id
        refused = c.post(EXP, json=text("seed-style create"))
        assert (refused.status_code, refused.json()) == (400, {"message": "organization_id is required."})
        created = c.post(EXP, json={"organization_id": org, **text("via the compatibility mount")})
        assert created.status_code == 201 and created.json()["status"] == "running"
        chat = created.json()["id"]
        fake.wait_idle(chat)
        via_v2, via_exp = c.get(f"{V2}/{chat}").json(), c.get(f"{EXP}/{chat}").json()
        assert via_v2 == via_exp and via_v2["organization_id"] == org and "messages" not in via_v2
        assert c.get(f"{EXP}/{chat}/messages").json() == c.get(f"{V2}/{chat}/messages").json()
        assert c.delete(f"{EXP}/{chat}").status_code == 405  # archive is a PATCH now
        promote = c.post(f"{EXP}/{chat}/queue/1/promote")
        assert (promote.status_code, promote.json()["message"]) == (409, "Chat has no queued messages to promote.")
        for prefix in (V2, EXP):
            ws = open_v2_stream(fake, chat, prefix=prefix)
            assert [e["type"] for e in bare_events(ws)][-2:] == ["status", "preview_reset"]
            finish(ws)
    assert fake.spec_violations == []


def test_current_has_no_experimental_sockets() -> None:
    with FakeCoder(generation="current") as fake, client(fake) as c:
        chat = c.post(V2, json={"organization_id": fake.organization_id, **text("hi")}).json()["id"]
        for path in (f"{EXP}/{chat}/stream", f"{EXP}/watch"):
            with pytest.raises(websocket.WebSocketBadStatusException) as caught:
                websocket.create_connection(
                    fake.ws_url + path, header=[f"Coder-Session-Token: {fake.admin_token}"], timeout=3
                )
            assert caught.value.status_code == 404
            assert caught.value.resp_body is not None and json.loads(caught.value.resp_body) == NOT_FOUND


def test_unknown_generation_is_refused() -> None:
    expected = re.escape("unknown generation '2.36': expected one of experimental, 2.37, current")
    with pytest.raises(ValueError, match=expected):
        FakeCoder(generation="2.36")  # type: ignore[arg-type]
