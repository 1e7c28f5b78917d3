"""The spec-validation hook: a full scenario conforms to openapi.yaml, and breakage is caught."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fakecoder import FakeCoder, Script

from .conftest import API, create_chat, text

SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"


@pytest.fixture
def checked() -> Iterator[FakeCoder]:
    with FakeCoder(validate_spec_path=SPEC) as server:
        yield server


def test_every_operation_conforms(checked: FakeCoder) -> None:
    fake = checked
    with httpx.Client(base_url=fake.url, headers={"Coder-Session-Token": fake.admin_token}, timeout=5) as c:
        chat = create_chat(c, "spec check")["id"]
        fake.wait_idle(chat)
        fake.set_diff_status(
            chat,
            remote_origin="git@github.com:coder/coder.git",
            branch="b",
            pull_request_state="open",
            additions=1,
            refreshed_at="2026-01-15T12:00:00Z",
        )
        fake.set_diff_reference(
            chat, provider="github", remote_origin="https://github.com/coder/coder", branch="b", diff="--- a\n+++ b\n"
        )
        for path in (
            "",
            "/models",
            "/providers",
            "/model-configs",
            f"/{chat}",
            f"/{chat}/diff-status",
            f"/{chat}/diff",
            f"/{chat}/git-changes",
        ):
            c.get(API + path)
        fake.script = Script(auto_run=False)
        c.post(f"{API}/{chat}/messages", json=text("busy now"))
        queued = c.post(f"{API}/{chat}/messages", json=text("queued")).json()["queued_message"]
        other = c.post(f"{API}/{chat}/messages", json=text("queued 2")).json()["queued_message"]
        c.post(f"{API}/{chat}/queue/{queued['id']}/promote")
        c.delete(f"{API}/{chat}/queue/{other['id']}")
        c.get(f"{API}/{chat}")
        c.post(f"{API}/{chat}/interrupt")
        first = c.get(f"{API}/{chat}").json()["messages"][0]
        c.patch(f"{API}/{chat}/messages/{first['id']}", json=text("edited"))
        provider = c.post(f"{API}/providers", json={"provider": "anthropic", "api_key": "k"}).json()
        c.patch(f"{API}/providers/{provider['id']}", json={"enabled": False, "base_url": "https://x.test/v1"})
        config = c.post(
            f"{API}/model-configs",
            json={
                "provider": "anthropic",
                "model": "claude",
                "context_limit": 1000,
                "model_config": {"temperature": 0.2},
            },
        ).json()
        c.patch(f"{API}/model-configs/{config['id']}", json={"context_limit": 2000})
        c.delete(f"{API}/model-configs/{config['id']}")
        c.delete(f"{API}/providers/{provider['id']}")
        # Error answers are checked too.
        c.post(API, json={"content": []})
        c.post(API, content=b"")
        c.get(f"{API}/{uuid.uuid4()}")
        c.get(f"{API}/not-a-uuid")
        c.patch(f"{API}/{chat}/messages/nope", json=text("x"))
        c.delete(f"{API}/{chat}/queue/nope")
        c.post(f"{API}/providers", json={"provider": "openai"})
        httpx.get(fake.url + API, timeout=5)
        with httpx.Client(base_url=fake.url, headers={"Coder-Session-Token": fake.member_token}, timeout=5) as m:
            m.get(f"{API}/providers")
        c.delete(f"{API}/{chat}")
    assert fake.spec_checked >= 30
    assert fake.spec_violations == []


def test_violations_are_recorded_not_raised(checked: FakeCoder) -> None:
    fake = checked
    with httpx.Client(base_url=fake.url, headers={"Coder-Session-Token": fake.admin_token}, timeout=5) as c:
        chat = create_chat(c)["id"]
        fake.state.chats[chat].title = 42  # type: ignore[assignment]
        assert c.get(f"{API}/{chat}").status_code == 200
    assert len(fake.spec_violations) == 1
    assert f"GET {API}/{chat} -> 200: response" in fake.spec_violations[0]
    assert "title" in fake.spec_violations[0]


def test_fault_answers_are_not_validated(checked: FakeCoder) -> None:
    checked.fail_next_requests(1, 520, body="not json")
    assert httpx.get(checked.url + API, timeout=5).status_code == 520
    assert checked.spec_violations == []
