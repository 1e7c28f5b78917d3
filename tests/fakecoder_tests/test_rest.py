"""REST semantics of every operation (upstream §3 and the §6.1 checklist)."""

from __future__ import annotations

import re
import time
import uuid

import httpx
import pytest

from tests.fakecoder import FakeCoder, Script
from tests.fakecoder.state import make_title

from .conftest import API, create_chat, text

RFC3339_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
NIL = "00000000-0000-0000-0000-000000000000"


def test_create_chat(fake: FakeCoder, admin: httpx.Client) -> None:
    fake.script = Script(auto_run=False)
    chat = create_chat(admin, "hello from chats route tests")
    default = next(c for c in admin.get(f"{API}/model-configs").json() if c["is_default"])
    assert chat["owner_id"] == fake.admin_id
    assert chat["title"] == "hello from chats route tests"
    assert chat["status"] == "pending"
    assert chat["root_chat_id"] == chat["id"]
    assert chat["last_model_config_id"] == default["id"]
    assert "workspace_id" not in chat and "workspace_agent_id" not in chat and "parent_chat_id" not in chat
    assert RFC3339_Z.match(chat["created_at"]) and RFC3339_Z.match(chat["updated_at"])
    got = admin.get(f"{API}/{chat['id']}").json()
    assert got["queued_messages"] == []
    assert [(m["role"], m["content"]) for m in got["messages"]] == [
        ("user", [{"type": "text", "text": "hello from chats route tests"}])
    ]
    assert all(m["chat_id"] == chat["id"] for m in got["messages"])
    # The hidden system prompt exists in the store but never on the wire.
    assert any(m["role"] == "system" for m in fake.state.chats[chat["id"]].messages)


def test_titles() -> None:
    assert make_title("one two three four five six") == "one two three four five six"
    assert make_title("one two three four five six seven") == "one two three four five six…"
    assert make_title("   ") == "New Chat"
    long = make_title(" ".join(["x" * 30] * 6))
    assert len(long) == 80 and long.endswith("…")


@pytest.mark.off_spec
def test_create_chat_body_handling(admin: httpx.Client) -> None:
    # Unknown fields are ignored, field names match case-insensitively, text is trimmed.
    r = admin.post(API, json={"Content": [{"type": " TEXT ", "text": "  hi  "}], "bogus": 1})
    assert r.status_code == 201
    assert r.json()["title"] == "hi"
    r = admin.post(API, content=b"{not json")
    assert r.status_code == 400 and r.json()["message"] == "Request body must be valid JSON."
    r = admin.post(API, json={"content": "nope"})
    assert r.json()["detail"].startswith("json: cannot unmarshal string into Go struct field CreateChatRequest.content")
    r = admin.post(API, json={**text("hi"), "model_config_id": NIL})
    assert (r.status_code, r.json()) == (400, {"message": "Invalid model config ID."})
    r = admin.post(API, json={**text("hi"), "model_config_id": str(uuid.uuid4())})
    assert r.json() == {"message": "Invalid model config ID."}


def test_create_chat_in_workspace(fake: FakeCoder, admin: httpx.Client, member: httpx.Client) -> None:
    workspace = fake.add_workspace("admin")
    r = admin.post(API, json={**text("hi"), "workspace_id": workspace})
    assert r.status_code == 201
    assert r.json()["workspace_id"] == workspace
    assert r.json()["workspace_agent_id"] == fake.state.workspaces[workspace]["agent_id"]
    r = member.post(API, json={**text("hi"), "workspace_id": workspace})
    assert r.json() == {"message": "Workspace not found or you do not have access to this resource"}


def test_list_chats_sorted_with_diff_status(fake: FakeCoder, admin: httpx.Client) -> None:
    fake.script = Script(auto_run=False)
    first, second = create_chat(admin, "first"), create_chat(admin, "second")
    chats = admin.get(API).json()
    assert [c["id"] for c in chats] == [second["id"], first["id"]]
    for c in chats:
        assert c["diff_status"] == {
            "chat_id": c["id"],
            "changes_requested": False,
            "additions": 0,
            "deletions": 0,
            "changed_files": 0,
        }
    admin.post(f"{API}/{first['id']}/interrupt")  # touches updated_at
    assert admin.get(API).json()[0]["id"] == first["id"]


def test_models_catalog(admin: httpx.Client) -> None:
    catalog = admin.get(f"{API}/models").json()
    openai = next(p for p in catalog["providers"] if p["provider"] == "openai")
    assert openai["available"] is True
    assert {
        "id": "openai:gpt-4o-mini",
        "provider": "openai",
        "model": "gpt-4o-mini",
        "display_name": "GPT-4o Mini",
    } in openai["models"]


def test_providers_crud(admin: httpx.Client) -> None:
    listed = admin.get(f"{API}/providers").json()
    openai = next(p for p in listed if p["provider"] == "openai")
    assert (openai["source"], openai["enabled"], openai["has_api_key"]) == ("database", True, True)
    supported = [p for p in listed if p["source"] == "supported"]
    assert {p["provider"] for p in supported} == {"anthropic", "google", "openaicompat", "openrouter", "vercel"}
    assert all(p["id"] == NIL for p in supported)
    assert "api_key" not in openai

    r = admin.post(f"{API}/providers", json={"provider": "anthropic", "display_name": "Claude", "api_key": "k"})
    assert r.status_code == 201
    created = r.json()
    assert (created["display_name"], created["enabled"], created["has_api_key"], created["source"]) == (
        "Claude",
        True,
        True,
        "database",
    )
    r = admin.post(f"{API}/providers", json={"provider": "google", "base_url": "ftp://x"})
    assert r.status_code == 400 and r.json()["message"] == "Invalid provider base URL."

    r = admin.patch(
        f"{API}/providers/{created['id']}",
        json={"display_name": "OpenAI Updated", "enabled": False, "base_url": "https://example.com/v1"},
    )
    assert r.status_code == 200
    assert (r.json()["display_name"], r.json()["enabled"], r.json()["base_url"]) == (
        "OpenAI Updated",
        False,
        "https://example.com/v1",
    )
    assert admin.patch(f"{API}/providers/{uuid.uuid4()}", json={}).status_code == 404

    assert admin.delete(f"{API}/providers/{created['id']}").status_code == 204
    assert admin.delete(f"{API}/providers/{created['id']}").status_code == 404
    assert admin.delete(f"{API}/providers/bad").json()["message"] == "Invalid chat provider ID."
    again = next(p for p in admin.get(f"{API}/providers").json() if p["provider"] == "anthropic")
    assert again["source"] == "supported"


def test_model_configs_crud(admin: httpx.Client) -> None:
    seeded = admin.get(f"{API}/model-configs").json()
    assert [(c["provider"], c["model"], c["is_default"]) for c in seeded] == [("openai", "gpt-4o-mini", True)]
    r = admin.post(f"{API}/model-configs", json={"provider": "openai", "model": "gpt-4o", "context_limit": 4096})
    assert r.status_code == 201 and r.json()["is_default"] is False
    assert r.json()["compression_threshold"] == 70
    created = r.json()
    dup = admin.post(f"{API}/model-configs", json={"provider": "openai", "model": "gpt-4o", "context_limit": 1})
    assert (dup.status_code, dup.json()) == (409, {"message": "Chat model config already exists."})
    bad = admin.post(f"{API}/model-configs", json={"provider": "openai", "model": " ", "context_limit": 1})
    assert bad.json() == {"message": "Model is required."}
    bad = admin.post(
        f"{API}/model-configs",
        json={"provider": "openai", "model": "m", "context_limit": 1, "compression_threshold": 101},
    )
    assert bad.json()["message"] == "Invalid compression threshold."

    r = admin.patch(
        f"{API}/model-configs/{created['id']}",
        json={"display_name": "GPT-4o Mini Updated", "context_limit": 8192, "is_default": True},
    )
    assert (r.json()["display_name"], r.json()["context_limit"], r.json()["is_default"]) == (
        "GPT-4o Mini Updated",
        8192,
        True,
    )
    assert sum(c["is_default"] for c in admin.get(f"{API}/model-configs").json()) == 1
    assert admin.patch(f"{API}/model-configs/{uuid.uuid4()}", json={}).status_code == 404

    assert admin.delete(f"{API}/model-configs/{created['id']}").status_code == 204
    remaining = admin.get(f"{API}/model-configs").json()
    assert [c["is_default"] for c in remaining] == [True]  # a default always remains
    assert admin.delete(f"{API}/model-configs/{created['id']}").status_code == 404
    assert admin.delete(f"{API}/model-configs/nope").json()["message"] == "Invalid chat model config ID."


def test_first_model_config_becomes_default(admin: httpx.Client) -> None:
    for c in admin.get(f"{API}/model-configs").json():
        admin.delete(f"{API}/model-configs/{c['id']}")
    r = admin.post(f"{API}/model-configs", json={"provider": "openai", "model": "gpt-4o", "context_limit": 10})
    assert r.json()["is_default"] is True


def test_post_message_when_idle_and_when_busy(fake: FakeCoder, admin: httpx.Client) -> None:
    chat = create_chat(admin)
    assert fake.wait_idle(chat["id"]) == "waiting"
    r = admin.post(f"{API}/{chat['id']}/messages", json=text("next"))
    assert r.status_code == 200
    body = r.json()
    assert body["queued"] is False and "queued_message" not in body
    assert body["message"]["role"] == "user" and body["message"]["content"][0]["text"] == "next"
    fake.wait_idle(chat["id"])

    fake.script = Script(auto_run=False)
    admin.post(f"{API}/{chat['id']}/messages", json=text("makes it pending"))
    r = admin.post(f"{API}/{chat['id']}/messages", json=text("queued one"))
    body = r.json()
    assert body["queued"] is True and "message" not in body
    assert body["queued_message"]["chat_id"] == chat["id"] and body["queued_message"]["id"] > 0
    assert admin.get(f"{API}/{chat['id']}").json()["queued_messages"] == [body["queued_message"]]
    r = admin.post(f"{API}/{chat['id']}/messages", json=text("   "))
    assert r.json()["message"] == "Invalid input part."


def test_queue_fills_to_20_then_429_then_drains(fake: FakeCoder, admin: httpx.Client) -> None:
    fake.script = Script(auto_run=False, reasoning=False, tool_call=False)
    chat = create_chat(admin, "start")
    for i in range(20):
        assert admin.post(f"{API}/{chat['id']}/messages", json=text(f"q{i}")).json()["queued"]
    r = admin.post(f"{API}/{chat['id']}/messages", json=text("too many"))
    assert r.status_code == 429
    assert r.json() == {"message": "Message queue is full.", "detail": "Maximum 20 messages can be queued."}
    # With turns enabled the queue drains one turn at a time, in order.
    fake.script = Script(reasoning=False, tool_call=False)
    fake.start_turn(chat["id"])
    deadline = time.monotonic() + 10
    while fake.state.chats[chat["id"]].queue or fake.state.chats[chat["id"]].status != "waiting":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    users = [
        m["content"][0]["text"] for m in admin.get(f"{API}/{chat['id']}").json()["messages"] if m["role"] == "user"
    ]
    assert users == ["start"] + [f"q{i}" for i in range(20)]


def test_edit_truncates_and_clears_queue(fake: FakeCoder, admin: httpx.Client) -> None:
    chat = create_chat(admin, "first")
    fake.wait_idle(chat["id"])
    admin.post(f"{API}/{chat['id']}/messages", json=text("second"))
    fake.wait_idle(chat["id"])
    messages = admin.get(f"{API}/{chat['id']}").json()["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "tool"] * 2
    first = messages[0]
    fake.script = Script(auto_run=False)
    admin.post(f"{API}/{chat['id']}/messages", json=text("third"))
    admin.post(f"{API}/{chat['id']}/messages", json=text("queued"))

    r = admin.patch(f"{API}/{chat['id']}/messages/{first['id']}", json=text("hello after edit"))
    assert r.status_code == 200
    edited = r.json()
    assert (edited["id"], edited["role"], edited["content"]) == (
        first["id"],
        "user",
        [{"type": "text", "text": "hello after edit"}],
    )
    got = admin.get(f"{API}/{chat['id']}").json()
    assert [m["id"] for m in got["messages"]] == [first["id"]]
    assert got["queued_messages"] == []
    assert got["chat"]["status"] == "pending"
    assert "first" not in str(got["messages"])

    assistant_id = messages[1]["id"]
    r = admin.patch(f"{API}/{chat['id']}/messages/{assistant_id}", json=text("x"))
    assert r.status_code == 404  # deleted by the edit
    fake.script = Script()
    fake.start_turn(chat["id"])
    fake.wait_idle(chat["id"])
    assistant = admin.get(f"{API}/{chat['id']}").json()["messages"][1]
    r = admin.patch(f"{API}/{chat['id']}/messages/{assistant['id']}", json=text("x"))
    assert (r.status_code, r.json()) == (400, {"message": "Only user messages can be edited."})
    r = admin.patch(f"{API}/{chat['id']}/messages/0", json=text("x"))
    assert r.json()["detail"] == "Message ID must be a positive integer."


def test_interrupt_stops_running_turn(fake: FakeCoder, admin: httpx.Client) -> None:
    fake.script = Script(text_deltas=1000, delay=0.01)
    chat = create_chat(admin)
    deadline = time.monotonic() + 5
    while fake.state.chats[chat["id"]].status != "running":
        assert time.monotonic() < deadline
        time.sleep(0.005)
    r = admin.post(f"{API}/{chat['id']}/interrupt")
    assert r.status_code == 200 and r.json()["status"] == "waiting"
    time.sleep(0.1)
    got = admin.get(f"{API}/{chat['id']}").json()
    assert got["chat"]["status"] == "waiting"
    assert [m["role"] for m in got["messages"]] == ["user"]  # nothing persisted by the dead turn
    assert admin.post(f"{API}/{uuid.uuid4()}/interrupt").status_code == 404


def test_delete_cascades_to_children(fake: FakeCoder, admin: httpx.Client) -> None:
    parent, other = create_chat(admin, "parent"), create_chat(admin, "other")
    child = fake.create_child_chat(parent["id"])
    grandchild = fake.create_child_chat(child)
    got_child = admin.get(f"{API}/{child}").json()["chat"]
    assert (got_child["parent_chat_id"], got_child["root_chat_id"]) == (parent["id"], parent["id"])
    assert admin.get(f"{API}/{grandchild}").json()["chat"]["root_chat_id"] == parent["id"]
    assert admin.delete(f"{API}/{parent['id']}").status_code == 204
    for gone in (parent["id"], child, grandchild):
        assert admin.get(f"{API}/{gone}").status_code == 404
    assert [c["id"] for c in admin.get(API).json()] == [other["id"]]
    assert admin.delete(f"{API}/{uuid.uuid4()}").status_code == 404


def test_diff_status_and_contents(fake: FakeCoder, admin: httpx.Client) -> None:
    chat = create_chat(admin)["id"]
    assert admin.get(f"{API}/{chat}/diff-status").json() == {
        "chat_id": chat,
        "changes_requested": False,
        "additions": 0,
        "deletions": 0,
        "changed_files": 0,
    }
    assert admin.get(f"{API}/{chat}/diff").json() == {"chat_id": chat}
    fake.set_diff_status(
        chat,
        remote_origin="git@github.com:coder/coder.git",
        branch="feature/diff-status",
        pull_request_state=" OPEN ",
        changes_requested=True,
        additions=11,
        deletions=4,
        changed_files=3,
        refreshed_at="2026-01-15T12:00:00Z",
        stale_at="2026-01-15T13:00:00Z",
    )
    assert admin.get(f"{API}/{chat}/diff-status").json() == {
        "chat_id": chat,
        "url": "https://github.com/coder/coder/tree/feature%2Fdiff-status",
        "pull_request_state": "open",
        "changes_requested": True,
        "additions": 11,
        "deletions": 4,
        "changed_files": 3,
        "refreshed_at": "2026-01-15T12:00:00Z",
        "stale_at": "2026-01-15T13:00:00Z",
    }
    assert admin.get(API).json()[0]["diff_status"]["additions"] == 11
    fake.set_diff_reference(
        chat,
        provider="gitlab",
        remote_origin="https://gitlab.example.com/acme/project.git",
        branch="feature/cached-diff",
    )
    assert admin.get(f"{API}/{chat}/diff").json() == {
        "chat_id": chat,
        "provider": "gitlab",
        "remote_origin": "https://gitlab.example.com/acme/project.git",
        "branch": "feature/cached-diff",
    }


def test_queue_delete_and_promote(fake: FakeCoder, admin: httpx.Client) -> None:
    fake.script = Script(auto_run=False)
    chat = create_chat(admin)["id"]
    a = admin.post(f"{API}/{chat}/messages", json=text("a")).json()["queued_message"]
    b = admin.post(f"{API}/{chat}/messages", json=text("b")).json()["queued_message"]
    assert admin.delete(f"{API}/{chat}/queue/{a['id']}").status_code == 204
    assert [q["id"] for q in admin.get(f"{API}/{chat}").json()["queued_messages"]] == [b["id"]]
    r = admin.post(f"{API}/{chat}/queue/{b['id']}/promote")
    assert r.status_code == 200
    assert (r.json()["role"], r.json()["content"]) == ("user", [{"type": "text", "text": "b"}])
    got = admin.get(f"{API}/{chat}").json()
    assert got["queued_messages"] == []
    assert got["messages"][-1]["id"] == r.json()["id"]
    r = admin.post(f"{API}/{chat}/queue/x/promote")
    assert r.json() == {
        "message": "Invalid queued message ID.",
        "detail": 'strconv.ParseInt: parsing "x": invalid syntax',
    }
    assert admin.post(f"{API}/{chat}/queue/{b['id']}/promote").status_code == 404


def test_message_ids_come_from_one_global_counter(fake: FakeCoder, admin: httpx.Client) -> None:
    fake.script = Script(auto_run=False)
    one, two = create_chat(admin)["id"], create_chat(admin)["id"]
    ids = [m["id"] for c in (one, two) for m in admin.get(f"{API}/{c}").json()["messages"]]
    assert ids == sorted(ids) and len(set(ids)) == 2
