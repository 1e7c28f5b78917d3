"""Authentication, authorization and the chat path parameter (upstream §1.2-§1.3)."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.fakecoder import FakeCoder

from .conftest import API, client, create_chat

SIGNED_OUT = "You are signed out or your session has expired. Please sign in again to continue."
FORBIDDEN = {
    "message": "Forbidden.",
    "detail": "You don't have permission to view this content. If you believe this is a mistake, "
    "please contact your administrator or try signing in with different credentials.",
}
NOT_FOUND = {"message": "Resource not found or you do not have access to this resource"}


@pytest.mark.parametrize("path", [API, f"{API}/models", f"{API}/providers"])
def test_missing_token_is_401_with_upstream_body(fake: FakeCoder, path: str) -> None:
    r = httpx.get(fake.url + path, timeout=5)
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {
        "message": SIGNED_OUT,
        "detail": 'Cookie "coder_session_token" or query parameter must be provided.',
    }


def test_token_from_cookie_query_and_header(fake: FakeCoder) -> None:
    token = fake.admin_token
    with httpx.Client(base_url=fake.url, timeout=5, cookies={"coder_session_token": token}) as c:
        assert c.get(API).status_code == 200
    assert httpx.get(f"{fake.url}{API}", params={"coder_session_token": token}, timeout=5).status_code == 200
    assert httpx.get(f"{fake.url}{API}", headers={"Coder-Session-Token": token}, timeout=5).status_code == 200


def test_cookie_wins_over_query_and_header(fake: FakeCoder) -> None:
    bad = "abcdefghij-0123456789012345678901"
    good = fake.admin_token
    with httpx.Client(base_url=fake.url, timeout=5, cookies={"coder_session_token": bad}) as c:
        r = c.get(API, params={"coder_session_token": good}, headers={"Coder-Session-Token": good})
    assert r.status_code == 401
    r = httpx.get(
        f"{fake.url}{API}", params={"coder_session_token": good}, headers={"Coder-Session-Token": bad}, timeout=5
    )
    assert r.status_code == 200


@pytest.mark.parametrize(
    ("token", "detail"),
    [
        ("nodash", "Invalid API key format: incorrect amount of API key parts, expected 2 got 1"),
        ("short-0123456789012345678901", "Invalid API key format: invalid API key ID length, expected 10 got 5"),
        ("abcdefghij-short", "Invalid API key format: invalid API key secret length, expected 22 got 5"),
        ("abcdefghij-0123456789012345678901", "API key is invalid."),
    ],
)
def test_bad_tokens(fake: FakeCoder, token: str, detail: str) -> None:
    with client(fake, token) as c:
        r = c.get(API)
    assert r.status_code == 401
    assert r.json() == {"message": SIGNED_OUT, "detail": detail}


def test_wrong_secret_for_known_key(fake: FakeCoder) -> None:
    key_id = fake.admin_token.split("-")[0]
    with client(fake, f"{key_id}-{'x' * 22}") as c:
        assert c.get(API).json()["detail"] == "API key secret is invalid."


def test_tokens_have_upstream_shape_and_differ(fake: FakeCoder) -> None:
    for token in (fake.admin_token, fake.member_token):
        key_id, secret = token.split("-")
        assert (len(key_id), len(secret)) == (10, 22)
    assert fake.admin_token != fake.member_token
    assert fake.admin_id != fake.member_id


def test_unknown_routes(fake: FakeCoder, admin: httpx.Client) -> None:
    # Outside /chats no auth runs; inside, auth first, then "Route not found.".
    assert httpx.get(f"{fake.url}/api/experimental/nope", timeout=5).json() == {"message": "Route not found."}
    r = admin.get(f"{API}/{create_chat(admin)['id']}/nope")
    assert (r.status_code, r.json()) == (404, {"message": "Route not found."})
    assert httpx.get(f"{fake.url}{API}/x/nope", timeout=5).status_code == 401


def test_git_changes_is_route_not_found_after_chat_checks(admin: httpx.Client) -> None:
    chat = create_chat(admin)
    r = admin.get(f"{API}/{chat['id']}/git-changes")
    assert (r.status_code, r.json()) == (404, {"message": "Route not found."})
    assert admin.get(f"{API}/{uuid.uuid4()}/git-changes").json() == NOT_FOUND
    assert admin.get(f"{API}/chat/git-changes").status_code == 400


def test_wrong_method_is_405(admin: httpx.Client) -> None:
    r = admin.put(f"{API}/models")
    assert r.status_code == 405
    assert r.headers["allow"] == "GET"


ADMIN_ROUTES = [
    ("GET", "/providers", None),
    ("POST", "/providers", {"provider": "anthropic", "api_key": "k"}),
    ("PATCH", f"/providers/{uuid.uuid4()}", {"display_name": "x"}),
    ("DELETE", f"/providers/{uuid.uuid4()}", None),
    ("PATCH", "/providers/not-a-uuid", {}),
    ("GET", "/model-configs", None),
    ("POST", "/model-configs", {"provider": "openai", "model": "gpt-4o", "context_limit": 1}),
    ("PATCH", f"/model-configs/{uuid.uuid4()}", {"context_limit": 1}),
    ("DELETE", f"/model-configs/{uuid.uuid4()}", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ROUTES)
def test_member_gets_403_on_admin_routes(member: httpx.Client, method: str, path: str, body: object) -> None:
    r = member.request(method, API + path, json=body)
    assert r.status_code == 403
    assert r.json() == FORBIDDEN


def test_member_may_list_models_and_own_chats(member: httpx.Client) -> None:
    assert member.get(f"{API}/models").status_code == 200
    chat = create_chat(member, "member chat")
    assert [c["id"] for c in member.get(API).json()] == [chat["id"]]


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("GET", ""),
        ("DELETE", ""),
        ("GET", "/diff-status"),
        ("GET", "/diff"),
        ("POST", "/interrupt"),
        ("POST", "/messages"),
        ("GET", "/nope"),
    ],
)
def test_other_users_chat_is_404(
    fake: FakeCoder, admin: httpx.Client, member: httpx.Client, method: str, suffix: str
) -> None:
    chat = create_chat(admin)
    r = member.request(method, f"{API}/{chat['id']}{suffix}", json={"content": []})
    assert (r.status_code, r.json()) == (404, NOT_FOUND)
    assert chat["id"] not in [c["id"] for c in member.get(API).json()]


def test_bad_chat_uuid_is_400(admin: httpx.Client) -> None:
    r = admin.get(f"{API}/not-a-uuid")
    assert r.status_code == 400
    assert r.json() == {"message": 'Invalid UUID "chat".', "detail": "invalid UUID length: 10"}
    bad_format = "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"
    assert admin.delete(f"{API}/{bad_format}").json()["detail"] == "invalid UUID format"
