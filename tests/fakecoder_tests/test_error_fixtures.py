"""Every upstream error fixture (`errors/*.json`) is reproduced by the fake, status and body.

Fixtures hold the fields upstream asserts; where the handler is known to add a `detail`,
the expected body here includes it, and the fixture's fields must match exactly.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fakecoder import FakeCoder, Script

from .conftest import API, create_chat, text

FIXTURES = Path(__file__).resolve().parents[1] / "conformance" / "fixtures" / "errors"

Probe = Callable[[FakeCoder, httpx.Client], httpx.Response]


def _no_default(fake: FakeCoder, c: httpx.Client) -> httpx.Response:
    for config in c.get(f"{API}/model-configs").json():
        assert c.delete(f"{API}/model-configs/{config['id']}").status_code == 204
    return c.post(API, json=text("hello"))


def _queue_full(fake: FakeCoder, c: httpx.Client) -> httpx.Response:
    fake.script = Script(auto_run=False)  # the chat stays pending, so messages queue
    chat = create_chat(c)
    for i in range(20):
        assert c.post(f"{API}/{chat['id']}/messages", json=text(f"q{i}")).json()["queued"] is True
    return c.post(f"{API}/{chat['id']}/messages", json=text("one too many"))


def _edit_missing(fake: FakeCoder, c: httpx.Client) -> httpx.Response:
    return c.patch(f"{API}/{create_chat(c)['id']}/messages/999999", json=text("x"))


def _provider_not_configured(fake: FakeCoder, c: httpx.Client) -> httpx.Response:
    body = {"provider": "anthropic", "model": "claude", "context_limit": 1000}
    return c.post(f"{API}/model-configs", json=body)


def _default_config_id(c: httpx.Client) -> str:
    return str(c.get(f"{API}/model-configs").json()[0]["id"])


PROBES: dict[str, tuple[Probe, dict[str, Any]]] = {
    "create-chat-empty-content.400.json": (lambda f, c: c.post(API, json={"content": []}), {}),
    "create-chat-empty-text.400.json": (lambda f, c: c.post(API, json=text("   ")), {}),
    "create-chat-unsupported-part-type.400.json": (lambda f, c: c.post(API, json={"content": [{"type": "image"}]}), {}),
    "create-chat-workspace-not-found.400.json": (
        lambda f, c: c.post(API, json={**text("hi"), "workspace_id": str(uuid.uuid4())}),
        {},
    ),
    "create-chat-no-default-model-config.400.json": (_no_default, {}),
    "edit-message-invalid-id.400.json": (
        lambda f, c: c.patch(f"{API}/{create_chat(c)['id']}/messages/not-an-int", json=text("x")),
        {"detail": "Message ID must be a positive integer."},
    ),
    "edit-message-not-found.404.json": (_edit_missing, {"detail": "Message does not belong to this chat."}),
    "invalid-json-empty-body.400.json": (lambda f, c: c.post(API, content=b""), {}),
    "model-config-invalid-context-limit.400.json": (
        lambda f, c: c.patch(f"{API}/model-configs/{_default_config_id(c)}", json={"context_limit": 0}),
        {},
    ),
    "model-config-invalid-id.400.json": (
        lambda f, c: c.patch(f"{API}/model-configs/not-a-uuid", json={}),
        {"detail": "invalid UUID length: 10"},
    ),
    "model-config-missing-context-limit.400.json": (
        lambda f, c: c.post(f"{API}/model-configs", json={"provider": "openai", "model": "gpt-4o"}),
        {"detail": "context_limit must be greater than zero."},
    ),
    "model-config-provider-not-configured.400.json": (_provider_not_configured, {}),
    "post-message-queue-full.429.json": (_queue_full, {}),
    "provider-conflict.409.json": (
        lambda f, c: c.post(f"{API}/providers", json={"provider": "openai", "api_key": "k"}),
        {},
    ),
    "provider-invalid-id.400.json": (
        lambda f, c: c.patch(f"{API}/providers/not-a-uuid", json={}),
        {"detail": "invalid UUID length: 10"},
    ),
    "provider-invalid.400.json": (
        lambda f, c: c.post(f"{API}/providers", json={"provider": "not-a-provider"}),
        {"detail": "Provider must be one of: anthropic, google, openai, openaicompat, openrouter, vercel."},
    ),
    "queue-invalid-id.400.json": (
        lambda f, c: c.delete(f"{API}/{create_chat(c)['id']}/queue/not-an-int"),
        {"detail": 'strconv.ParseInt: parsing "not-an-int": invalid syntax'},
    ),
    "resource-not-found.404.json": (lambda f, c: c.get(f"{API}/{uuid.uuid4()}"), {}),
    "unauthenticated-no-token.401.json": (lambda f, c: httpx.get(f.url + API, timeout=5), {}),
}


def test_every_fixture_has_a_probe() -> None:
    assert sorted(p.name for p in FIXTURES.glob("*.json")) == sorted(PROBES)


@pytest.mark.parametrize("name", sorted(PROBES))
def test_fixture_reproduced(fake: FakeCoder, admin: httpx.Client, name: str) -> None:
    fixture = json.loads((FIXTURES / name).read_text())
    probe, extra = PROBES[name]
    r = probe(fake, admin)
    assert r.status_code == fixture["status"]
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {**fixture["body"], **extra}
