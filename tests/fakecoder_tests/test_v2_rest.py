"""The v2 REST operations (API-v2.md §3, §6, §7) on both v2 generations, every exchange checked
against openapi.yaml by the `v2fake` fixture."""

from __future__ import annotations

import uuid

import httpx

from tests.fakecoder import FakeCoder, Script

from .conftest import V2, text, v2_create, wait_for


def test_create_needs_the_callers_organization(v2fake: FakeCoder, v2admin: httpx.Client) -> None:
    for org in (None, "00000000-0000-0000-0000-000000000000"):
        body = {**text("hi"), **({"organization_id": org} if org else {})}
        r = v2admin.post(V2, json=body)
        assert (r.status_code, r.json()) == (400, {"message": "organization_id is required."})
    r = v2admin.post(V2, json={"organization_id": str(uuid.uuid4()), **text("hi")})
    assert (r.status_code, r.json()) == (403, {"message": "You are not a member of the specified organization."})
    r = v2admin.post(V2, json={"organization_id": v2fake.organization_id, "content": [{"type": "image"}]})
    assert r.json() == {"message": "Invalid input part.", "detail": 'content[0].type "image" is not supported.'}
    r = v2admin.post(V2, json={"organization_id": v2fake.organization_id, **text("x"), "client_type": "cli"})
    assert r.json() == {"message": "Invalid client_type.", "detail": 'got "cli", want one of [ui api]'}
    assert v2admin.get(V2).json() == []


def test_chat_shape_patch_archive_and_listing(v2fake: FakeCoder, v2admin: httpx.Client) -> None:
    v2fake.script = Script(auto_run=False)
    chat = v2_create(v2admin, v2fake, "shape check", labels={"team": "a"})
    assert chat["status"] == "running" and chat["labels"] == {"team": "a"} and chat["children"] == []
    assert chat["organization_id"] == v2fake.organization_id and chat["root_chat_id"] == chat["id"]
    assert chat["last_turn_summary"] is None and chat["client_type"] == "api" and "diff_status" not in chat
    cid = chat["id"]
    r = v2admin.patch(f"{V2}/{cid}", json={"archived": True})
    assert (r.status_code, r.json()) == (
        409,
        {
            "message": "Cannot archive an active chat. Interrupt or wait for the chat to finish first.",
            "detail": "chat state transition SetArchived not allowed from state R0",
        },
    )
    v2fake.script = Script()
    v2fake.start_turn(cid)
    assert v2fake.wait_idle(cid) == "waiting"
    assert v2admin.patch(f"{V2}/{cid}", json={"title": "  New title ", "labels": {"team": "b"}}).status_code == 204
    assert v2admin.patch(f"{V2}/{cid}", json={"title": " "}).json() == {"message": "Title cannot be empty."}
    assert v2admin.patch(f"{V2}/{cid}", json={"archived": True}).status_code == 204
    again = v2admin.patch(f"{V2}/{cid}", json={"archived": True})
    assert (again.status_code, again.json()) == (400, {"message": "Chat is already archived."})
    got = v2admin.get(f"{V2}/{cid}").json()
    assert (got["title"], got["labels"], got["archived"]) == ("New title", {"team": "b"}, True)
    refused = v2admin.post(f"{V2}/{cid}/messages", json=text("more"))
    assert (refused.status_code, refused.json()) == (400, {"message": "Cannot send messages to an archived chat."})
    other = v2_create(v2admin, v2fake, "other")["id"]
    assert [c["id"] for c in v2admin.get(V2, params={"q": "archived:false"}).json()] == [other]
    assert [c["id"] for c in v2admin.get(V2, params={"label": "team:b"}).json()] == [cid]
    listed = v2admin.get(V2, params={"limit": 1}).json()
    assert [c["id"] for c in listed] == [other] and "diff_status" in listed[0]  # list rows always have one


def test_messages_pages(v2fake: FakeCoder, v2admin: httpx.Client) -> None:
    chat = v2_create(v2admin, v2fake, "one")["id"]
    v2fake.wait_idle(chat)
    for prompt in ("two", "three"):
        assert v2admin.post(f"{V2}/{chat}/messages", json=text(prompt)).json()["queued"] is False
        v2fake.wait_idle(chat)
    every = v2admin.get(f"{V2}/{chat}/messages").json()
    ids = [m["id"] for m in every["messages"]]
    assert ids == sorted(ids, reverse=True) and len(ids) == 9 and every["has_more"] is False  # newest first
    assert all(m["role"] != "system" for m in every["messages"]) and every["queued_messages"] == []
    page = v2admin.get(f"{V2}/{chat}/messages", params={"limit": 4}).json()
    assert [m["id"] for m in page["messages"]] == ids[:4] and page["has_more"] is True
    older = v2admin.get(f"{V2}/{chat}/messages", params={"limit": 4, "before_id": ids[3]}).json()
    assert [m["id"] for m in older["messages"]] == ids[4:8] and older["has_more"] is True
    newer = v2admin.get(f"{V2}/{chat}/messages", params={"after_id": ids[3]}).json()
    assert [m["id"] for m in newer["messages"]] == sorted(ids[:3])  # after_id alone: oldest first
    for params, message in (
        ({"limit": 0}, "Invalid limit parameter (1-200)."),
        ({"limit": 201}, "Invalid limit parameter (1-200)."),
        ({"after_id": 5, "before_id": 5}, "after_id must be less than before_id."),
        ({"limit": "x"}, "Query parameters have invalid values."),
    ):
        r = v2admin.get(f"{V2}/{chat}/messages", params=params)
        assert (r.status_code, r.json()["message"]) == (400, message)


def test_queue_promote_delete_and_interrupt(v2fake: FakeCoder, v2admin: httpx.Client) -> None:
    chat = v2_create(v2admin, v2fake, "idle soon")["id"]
    v2fake.wait_idle(chat)
    r = v2admin.post(f"{V2}/{chat}/interrupt")
    assert (r.status_code, r.json()) == (
        409,
        {
            "message": "Chat is not in an interruptible state.",
            "detail": "chat state transition Interrupt not allowed from state W",
        },
    )
    r = v2admin.delete(f"{V2}/{chat}/queue/1")
    assert (r.status_code, r.json()["message"]) == (409, "Chat has no queued messages to delete.")
    v2fake.script = Script(text_deltas=400, delay=0.005)
    v2admin.post(f"{V2}/{chat}/messages", json=text("long"))
    first = v2admin.post(f"{V2}/{chat}/messages", json=text("queued one")).json()["queued_message"]
    second = v2admin.post(f"{V2}/{chat}/messages", json=text("queued two")).json()["queued_message"]
    assert v2admin.delete(f"{V2}/{chat}/queue/999").json() == {"message": "Queued message not found."}
    assert v2admin.delete(f"{V2}/{chat}/queue/{first['id']}").status_code == 204
    promoted = v2admin.post(f"{V2}/{chat}/queue/{second['id']}/promote")
    assert (promoted.status_code, promoted.json()) == (202, {"message": "Queued message promotion accepted."})
    v2fake.script = Script()
    assert v2fake.wait_idle(chat) == "waiting"
    texts = [m["content"][0]["text"] for m in v2admin.get(f"{V2}/{chat}/messages").json()["messages"][::-1]]
    assert "queued one" not in texts and texts.index("queued two") > texts.index("long")
    v2fake.script = Script(text_deltas=400, delay=0.005)
    v2admin.post(f"{V2}/{chat}/messages", json=text("stop me"))
    wait_for(lambda: bool(v2fake.state.chats[chat].parts))
    stopped = v2admin.post(f"{V2}/{chat}/interrupt")
    assert (stopped.status_code, stopped.json()["status"]) == (200, "interrupting")
    assert v2fake.wait_idle(chat) == "waiting"
    last = v2admin.get(f"{V2}/{chat}/messages", params={"limit": 1}).json()["messages"][0]
    assert last["role"] == "assistant"  # the partial answer was persisted
    assert Script(text_deltas=400).reply_text("stop me").startswith(last["content"][0]["text"])


def test_files_models_cost_and_diff(v2fake: FakeCoder, v2admin: httpx.Client) -> None:
    org = v2fake.organization_id
    # application/octet-stream: the server classifies the bytes (text here).
    headers = {"Content-Type": "application/octet-stream", "Content-Disposition": 'attachment; filename="notes.txt"'}
    up = v2admin.post(f"{V2}/files", params={"organization": org}, content=b"hello file", headers=headers)
    assert up.status_code == 201
    file_id = up.json()["id"]
    down = v2admin.get(f"{V2}/files/{file_id}")
    assert (down.status_code, down.content, down.headers["content-type"]) == (200, b"hello file", "text/plain")
    assert v2admin.post(f"{V2}/files", content=b"x", headers=headers).json()["message"] == (
        "Missing organization query parameter."
    )
    bad = v2admin.post(f"{V2}/files", params={"organization": org}, content=b"x", headers={"Content-Type": "text/html"})
    assert bad.json()["message"] == "Unsupported file type."
    nameless = v2admin.post(
        f"{V2}/files", params={"organization": org}, content=b"x", headers={"Content-Type": "text/plain"}
    )
    assert nameless.json() == {
        "message": "Filename is required.",
        "detail": "Provide a filename in the Content-Disposition header.",
    }
    content = [{"type": "text", "text": "read this"}, {"type": "file", "file_id": file_id}]
    chat = v2admin.post(V2, json={"organization_id": org, "content": content}).json()["id"]
    v2fake.wait_idle(chat)
    user = next(m for m in v2admin.get(f"{V2}/{chat}/messages").json()["messages"] if m["role"] == "user")
    assert (user["content"][1]["type"], user["content"][1]["file_id"], user["content"][1]["name"]) == (
        "file",
        file_id,
        "notes.txt",
    )
    models = v2admin.get(f"/api/v2/organizations/{org}/chats/models").json()
    assert [m["is_default"] for m in models["models"]] == [True]
    assert models["models"][0]["organization_id"] == org and models["unsupported_providers"] == []
    assert v2admin.get("/api/v2/organizations/default/chats/models").json() == models
    cost = v2admin.get(f"{V2}/{chat}/cost").json()
    assert cost == {"chat_id": chat, "total_cost_micros": 1000, "request_count": 1, "unpriced_request_count": 0}
    v2fake.set_diff_reference(chat, provider="github", branch="b", diff="--- a\n+++ b\n")
    assert v2admin.get(f"{V2}/{chat}/diff").json() == {
        "chat_id": chat,
        "provider": "github",
        "branch": "b",
        "diff": "--- a\n+++ b\n",
    }
    assert v2fake.spec_checked == 11  # every exchange above was checked against openapi.yaml


def test_sends_by_state_busy_behavior_and_an_errored_chat_with_a_queue(
    v2fake: FakeCoder, v2admin: httpx.Client
) -> None:
    v2fake.script = Script(text_deltas=400, delay=0.005)
    chat = v2_create(v2admin, v2fake, "long")["id"]
    wait_for(lambda: bool(v2fake.state.chats[chat].parts))
    v2fake.script = Script()
    urgent = v2admin.post(f"{V2}/{chat}/messages", json={**text("urgent"), "busy_behavior": "interrupt"})
    assert urgent.json()["queued"] is True and v2admin.get(f"{V2}/{chat}").json()["status"] == "interrupting"
    assert v2fake.wait_idle(chat) == "waiting"
    roles = [(m["role"], m["content"][0].get("text")) for m in v2admin.get(f"{V2}/{chat}/messages").json()["messages"]]
    assert ("user", "urgent") in roles
    bad = v2admin.post(f"{V2}/{chat}/messages", json={**text("x"), "busy_behavior": "now"})
    assert bad.json() == {"message": "Invalid busy_behavior value.", "detail": 'Must be "queue" or "interrupt".'}
    # E1: an errored chat with a queue runs the old head and queues the new prompt at the tail.
    v2fake.script = Script(fail_with="boom", text_deltas=200, delay=0.005)
    v2admin.post(f"{V2}/{chat}/messages", json=text("will fail"))
    waiting = v2admin.post(f"{V2}/{chat}/messages", json=text("was queued")).json()["queued_message"]
    assert v2fake.wait_idle(chat, timeout=10) == "error"
    assert v2admin.get(f"{V2}/{chat}/messages").json()["queued_messages"] == [waiting]
    v2fake.script = Script(auto_run=False)
    sent = v2admin.post(f"{V2}/{chat}/messages", json=text("newest")).json()
    assert sent["queued"] is True and [m["content"][0]["text"] for m in sent["messages"]] == ["was queued"]
    assert sent["queued_message"]["content"][0]["text"] == "newest"
    after = v2admin.get(f"{V2}/{chat}").json()
    assert after["status"] == "running" and "last_error" not in after


def test_organization_chat_models_crud(v2fake: FakeCoder, v2admin: httpx.Client) -> None:
    base = f"/api/v2/organizations/{v2fake.organization_id}/chats/models"
    listed = v2admin.get(base).json()
    provider = listed["providers"][0]
    assert (provider["type"], provider["available"], provider["has_api_key"]) == ("openai", True, True)
    default = listed["models"][0]
    assert default["ai_provider_id"] == provider["id"] and default["is_default"] is True
    body = {"ai_provider_id": provider["id"], "model": "gpt-5", "context_limit": 600_000, "is_default": True}
    created = v2admin.post(base, json=body)
    assert created.status_code == 201
    new = created.json()
    assert (new["compression_threshold"], new["is_default"], new["display_name"]) == (30, True, "gpt-5")
    assert v2admin.get(f"{base}/{default['id']}").json()["is_default"] is False  # one default per organization
    assert v2admin.post(base, json=body).json() == {"message": "Chat model config already exists."}
    missing = v2admin.post(base, json={**body, "ai_provider_id": str(uuid.uuid4()), "model": "x"})
    assert (missing.status_code, missing.json()) == (412, {"message": "AI provider is not configured."})
    no_limit = v2admin.post(base, json={"ai_provider_id": provider["id"], "model": "y"})
    assert no_limit.json() == {
        "message": "Context limit is required.",
        "detail": "context_limit must be greater than zero.",
    }
    patched = v2admin.patch(f"{base}/{new['id']}", json={"display_name": "GPT-5", "enabled": False})
    assert (patched.status_code, patched.json()["display_name"], patched.json()["enabled"]) == (200, "GPT-5", False)
    with httpx.Client(base_url=v2fake.url, headers={"Coder-Session-Token": v2fake.member_token}) as member:
        assert member.get(base).status_code == 200
        assert member.delete(f"{base}/{new['id']}").status_code == 403
    refused = v2admin.post(
        V2, json={"organization_id": v2fake.organization_id, **text("x"), "model_config_id": new["id"]}
    )
    assert refused.json() == {"message": "Invalid model_config_id: model config not found or disabled."}
    assert v2admin.delete(f"{base}/{new['id']}").status_code == 204
    assert v2admin.get(f"{base}/{new['id']}").status_code == 404
    assert [m["is_default"] for m in v2admin.get(base).json()["models"]] == [True]
