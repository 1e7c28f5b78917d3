"""The generated REST client's chat operations against the fake Coder: success paths with exact values.

Upstream checklist (docs/protocol.md, REST) (create, list, get, delete, messages, edit,
interrupt, diff, queue). Error answers of the same operations are in ``test_rest_errors.py``.
"""

from __future__ import annotations

import datetime
import itertools
import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest

from coder_chat.client import AuthenticatedClient, errors, models
from coder_chat.client.api.chats import (
    create_chat,
    create_chat_message,
    create_chat_model_config,
    delete_chat,
    delete_chat_queued_message,
    edit_chat_message,
    get_chat,
    get_chat_diff_contents,
    get_chat_diff_status,
    get_chat_git_changes,
    interrupt_chat,
    list_chat_model_configs,
    list_chats,
    promote_chat_queued_message,
)
from coder_chat.client.types import UNSET, Unset
from tests.fakecoder import FakeCoder, Script
from tests.support.scripted_http import RecordedRequest, Reply, ScriptedServer

pytestmark = pytest.mark.timeout(20)

NIL = UUID(int=0)


def ask(text: str) -> models.CreateChatRequest:
    return models.CreateChatRequest(content=[models.ChatInputPart(type_=models.ChatInputPartType.TEXT, text=text)])


def say(text: str) -> models.CreateChatMessageRequest:
    return models.CreateChatMessageRequest(
        content=[models.ChatInputPart(type_=models.ChatInputPartType.TEXT, text=text)]
    )


def parts(message: models.ChatMessage | models.ChatQueuedMessage) -> list[dict[str, Any]]:
    """A message's content as wire dicts (only the fields that were present)."""
    assert not isinstance(message.content, Unset), "message has no content"
    return [part.to_dict() for part in message.content]


def text_of(message: models.ChatMessage | models.ChatQueuedMessage) -> str:
    return "".join(p.get("text", "") for p in parts(message) if p["type"] == "text")


def default_config_id(client: AuthenticatedClient) -> UUID:
    (default,) = [c for c in list_chat_model_configs.sync(client=client) if c.is_default]
    return default.id


def wait_for_status(client: AuthenticatedClient, chat_id: UUID, status: models.ChatStatus) -> None:
    """Poll GET /chats/{chat} (through the client) until the chat has `status`."""
    deadline = time.monotonic() + 5
    while get_chat.sync(chat_id, client=client).chat.status != status:
        assert time.monotonic() < deadline, f"chat never became {status}"
        time.sleep(0.01)


def result_of(call: Callable[[], object]) -> object:
    """What `call` returned: lets a test assert that a 204 operation's sync() gives None."""
    return call()


# --- create_chat --------------------------------------------------------------------------------


def test_create_chat_upstream_success(
    fake: FakeCoder, admin: AuthenticatedClient, fixture_json: Callable[[str], Any]
) -> None:
    body = models.CreateChatRequest.from_dict(fixture_json("request-create-chat.json"))
    before = datetime.datetime.now(datetime.UTC)
    chat = create_chat.sync(client=admin, body=body)
    after = datetime.datetime.now(datetime.UTC)

    assert isinstance(chat, models.Chat)
    assert chat.id != NIL
    assert chat.owner_id == UUID(fake.admin_id)
    assert chat.last_model_config_id == default_config_id(admin)
    assert chat.title == "hello from chats route tests"
    assert chat.status == models.ChatStatus.PENDING
    assert chat.status.is_known
    assert chat.root_chat_id == chat.id
    assert chat.parent_chat_id is UNSET
    assert chat.workspace_id is UNSET
    assert chat.workspace_agent_id is UNSET
    assert chat.diff_status is UNSET  # only list and get embed it
    assert chat.additional_properties == {}
    assert chat.created_at.tzinfo is not None
    assert before - datetime.timedelta(seconds=1) <= chat.created_at <= after
    assert chat.updated_at == chat.created_at

    got = get_chat.sync(chat.id, client=admin)
    user = got.messages[0]
    assert (user.role, user.chat_id, text_of(user)) == ("user", chat.id, "hello from chats route tests")
    assert fake.wait_idle(str(chat.id)) == "waiting"


def test_create_chat_titles_and_trimmed_text(fake: FakeCoder, admin: AuthenticatedClient) -> None:
    fake.script = Script(auto_run=False)
    long = create_chat.sync(client=admin, body=ask("one two three four five six seven eight"))
    assert long.title == "one two three four five six…"
    padded = create_chat.sync(client=admin, body=ask("  \t hello there \n "))
    assert padded.title == "hello there"
    (message,) = get_chat.sync(padded.id, client=admin).messages
    assert parts(message) == [{"type": "text", "text": "hello there"}]  # trimmed by the server


def test_create_chat_in_workspace_binds_first_agent(fake: FakeCoder, admin: AuthenticatedClient) -> None:
    fake.script = Script(auto_run=False)
    workspace = fake.add_workspace("admin")
    agent = fake.state.workspaces[workspace]["agent_id"]
    body = ask("work in my workspace")
    body.workspace_id = UUID(workspace)
    chat = create_chat.sync(client=admin, body=body)
    assert chat.workspace_id == UUID(workspace)
    assert chat.workspace_agent_id == UUID(agent)
    got = get_chat.sync(chat.id, client=admin).chat
    assert (got.workspace_id, got.workspace_agent_id) == (UUID(workspace), UUID(agent))


def test_create_chat_with_explicit_model_config(fake: FakeCoder, admin: AuthenticatedClient) -> None:
    fake.script = Script(auto_run=False)
    config = create_chat_model_config.sync(
        client=admin, body=models.CreateChatModelConfigRequest(provider="openai", model="gpt-4o", context_limit=8192)
    )
    body = ask("use the big model")
    body.model_config_id = config.id
    chat = create_chat.sync(client=admin, body=body)
    assert chat.last_model_config_id == config.id
    assert chat.last_model_config_id != default_config_id(admin)


# --- list_chats -----------------------------------------------------------------------------------


def test_list_chats_only_mine_sorted_by_updated_at(
    fake: FakeCoder, admin: AuthenticatedClient, member: AuthenticatedClient
) -> None:
    fake.script = Script(auto_run=False)  # chats stay pending: updated_at only moves when we say so
    first = create_chat.sync(client=admin, body=ask("first"))
    second = create_chat.sync(client=admin, body=ask("second"))
    third = create_chat.sync(client=admin, body=ask("third"))
    theirs = create_chat.sync(client=member, body=ask("member's chat"))
    interrupt_chat.sync(first.id, client=admin)  # touches `first`: it becomes the most recent

    chats = list_chats.sync(client=admin)
    assert [c.id for c in chats] == [first.id, third.id, second.id]
    assert all(a.updated_at > b.updated_at for a, b in itertools.pairwise(chats))
    assert [c.status for c in chats] == [
        models.ChatStatus.WAITING,
        models.ChatStatus.PENDING,
        models.ChatStatus.PENDING,
    ]
    assert [c.title for c in chats] == ["first", "third", "second"]
    for chat in chats:
        assert chat.owner_id == UUID(fake.admin_id)
        assert chat.root_chat_id == chat.id
        assert (chat.parent_chat_id, chat.workspace_id, chat.workspace_agent_id) == (UNSET, UNSET, UNSET)
        assert isinstance(chat.diff_status, models.ChatDiffStatus)
        assert chat.diff_status.chat_id == chat.id
        assert (chat.diff_status.additions, chat.diff_status.deletions, chat.diff_status.changed_files) == (0, 0, 0)
        assert chat.diff_status.changes_requested is False
        assert chat.diff_status.url is UNSET

    (only,) = list_chats.sync(client=member)
    assert (only.id, only.owner_id, only.title) == (theirs.id, UUID(fake.member_id), "member's chat")


def test_list_chats_empty(admin: AuthenticatedClient) -> None:
    assert list_chats.sync(client=admin) == []


# --- get_chat -------------------------------------------------------------------------------------


def test_get_chat_after_a_turn(fake: FakeCoder, admin: AuthenticatedClient) -> None:
    prompt = "summarize the repository"
    chat = create_chat.sync(client=admin, body=ask(prompt))
    assert fake.wait_idle(str(chat.id)) == "waiting"

    got = get_chat.sync(chat.id, client=admin)
    assert isinstance(got, models.ChatWithMessages)
    assert (got.chat.id, got.chat.title, got.chat.owner_id) == (chat.id, prompt, UUID(fake.admin_id))
    assert got.chat.status == models.ChatStatus.WAITING
    assert got.chat.created_at == chat.created_at
    assert got.chat.updated_at > chat.updated_at
    assert isinstance(got.chat.diff_status, models.ChatDiffStatus)
    assert got.chat.diff_status.chat_id == chat.id
    assert got.queued_messages == []

    # No system message (the fake stores a hidden system prompt, as coderd does).
    assert [m.role for m in got.messages] == ["user", "assistant", "tool"]
    assert all(m.chat_id == chat.id for m in got.messages)
    ids = [m.id for m in got.messages]
    assert ids == sorted(ids) and len(set(ids)) == 3 and ids[0] > 0
    config = default_config_id(admin)
    assert all(m.model_config_id == config for m in got.messages)

    user, assistant, tool = got.messages
    reply = fake.script.reply_text(prompt)
    assert parts(user) == [{"type": "text", "text": prompt}]
    assert user.usage is UNSET
    assert parts(assistant) == [
        {"type": "text", "text": reply},
        {"type": "reasoning", "text": f"Thinking about: {prompt}"},
        {"type": "tool-call", "tool_call_id": "call-1", "tool_name": "execute", "args": {"command": f"echo {prompt}"}},
    ]
    assert isinstance(assistant.content, list)
    assert [p.type_ for p in assistant.content] == [
        models.ChatMessagePartType.TEXT,
        models.ChatMessagePartType.REASONING,
        models.ChatMessagePartType.TOOL_CALL,
    ]
    assert isinstance(assistant.usage, models.ChatMessageUsage)
    usage = assistant.usage
    assert (usage.input_tokens, usage.output_tokens, usage.total_tokens, usage.context_limit) == (
        len(prompt),
        len(reply),
        len(prompt) + len(reply),
        4096,
    )
    assert usage.reasoning_tokens is UNSET
    assert parts(tool) == [
        {"type": "tool-result", "tool_call_id": "call-1", "tool_name": "execute", "result": {"output": prompt}}
    ]


# --- delete_chat ----------------------------------------------------------------------------------


def test_delete_chat_cascades_to_descendants(fake: FakeCoder, admin: AuthenticatedClient) -> None:
    fake.script = Script(auto_run=False)
    parent = create_chat.sync(client=admin, body=ask("parent"))
    other = create_chat.sync(client=admin, body=ask("other"))
    child = UUID(fake.create_child_chat(str(parent.id), title="Sub-agent"))
    grandchild = UUID(fake.create_child_chat(str(child), title="Sub-sub-agent", status="completed"))

    got_child = get_chat.sync(child, client=admin)
    assert (got_child.chat.parent_chat_id, got_child.chat.root_chat_id) == (parent.id, parent.id)
    assert (got_child.chat.title, got_child.chat.status) == ("Sub-agent", models.ChatStatus.RUNNING)
    assert got_child.messages == []
    got_grandchild = get_chat.sync(grandchild, client=admin).chat
    assert (got_grandchild.parent_chat_id, got_grandchild.root_chat_id) == (child, parent.id)
    assert got_grandchild.status == models.ChatStatus.COMPLETED
    assert {c.id for c in list_chats.sync(client=admin)} == {parent.id, other.id, child, grandchild}

    assert result_of(lambda: delete_chat.sync(parent.id, client=admin)) is None
    for gone in (parent.id, child, grandchild):
        with pytest.raises(errors.NotFoundError):
            get_chat.sync(gone, client=admin)
    assert [c.id for c in list_chats.sync(client=admin)] == [other.id]


def test_delete_chat_detailed_is_204(admin: AuthenticatedClient) -> None:
    chat = create_chat.sync(client=admin, body=ask("short lived"))
    response = delete_chat.sync_detailed(chat.id, client=admin)
    assert (response.status_code, response.parsed, response.content) == (204, None, b"")
    assert list_chats.sync(client=admin) == []


# --- create_chat_message --------------------------------------------------------------------------


def test_create_chat_message_when_idle(fake: FakeCoder, admin: AuthenticatedClient) -> None:
    chat = create_chat.sync(client=admin, body=ask("first"))
    assert fake.wait_idle(str(chat.id)) == "waiting"
    before = get_chat.sync(chat.id, client=admin).messages

    sent = create_chat_message.sync(chat.id, client=admin, body=say("  next  "))
    assert isinstance(sent, models.CreateChatMessageResponse)
    assert sent.queued is False
    assert sent.queued_message is UNSET
    assert isinstance(sent.message, models.ChatMessage)
    assert (sent.message.role, sent.message.chat_id) == ("user", chat.id)
    assert sent.message.id > before[-1].id
    assert parts(sent.message) == [{"type": "text", "text": "next"}]
    assert sent.message.model_config_id == default_config_id(admin)

    assert fake.wait_idle(str(chat.id)) == "waiting"
    messages = get_chat.sync(chat.id, client=admin).messages
    assert [m.role for m in messages] == ["user", "assistant", "tool"] * 2
    assert messages[3].id == sent.message.id
    assert text_of(messages[3]) == "next"
    assert text_of(messages[4]) == fake.script.reply_text("next")


def test_create_chat_message_when_busy_is_queued(fake: FakeCoder, admin: AuthenticatedClient) -> None:
    fake.script = Script(auto_run=False)
    chat = create_chat.sync(client=admin, body=ask("start"))  # stays pending

    sent = create_chat_message.sync(chat.id, client=admin, body=say("queued one"))
    assert sent.queued is True
    assert sent.message is UNSET
    assert isinstance(sent.queued_message, models.ChatQueuedMessage)
    queued = sent.queued_message
    assert queued.chat_id == chat.id
    assert queued.id > 0
    assert parts(queued) == [{"type": "text", "text": "queued one"}]
    assert queued.created_at >= chat.created_at

    got = get_chat.sync(chat.id, client=admin)
    assert got.chat.status == models.ChatStatus.PENDING
    assert [(q.id, text_of(q)) for q in got.queued_messages] == [(queued.id, "queued one")]
    assert [m.role for m in got.messages] == ["user"]

    # Once the turn runs, the queue drains into the chat, in order.
    fake.script = Script()
    fake.start_turn(str(chat.id))
    deadline = time.monotonic() + 5
    while (got := get_chat.sync(chat.id, client=admin)).queued_messages or got.chat.status != "waiting":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert [text_of(m) for m in got.messages if m.role == "user"] == ["start", "queued one"]


def test_create_chat_message_switches_model_config(fake: FakeCoder, admin: AuthenticatedClient) -> None:
    chat = create_chat.sync(client=admin, body=ask("first"))
    fake.wait_idle(str(chat.id))
    config = create_chat_model_config.sync(
        client=admin, body=models.CreateChatModelConfigRequest(provider="openai", model="o3", context_limit=200_000)
    )
    body = say("now with o3")
    body.model_config_id = config.id
    sent = create_chat_message.sync(chat.id, client=admin, body=body)
    assert isinstance(sent.message, models.ChatMessage)
    assert sent.message.model_config_id == config.id
    fake.wait_idle(str(chat.id))
    assert get_chat.sync(chat.id, client=admin).chat.last_model_config_id == config.id


# --- edit_chat_message ----------------------------------------------------------------------------


def test_edit_chat_message_truncates_and_clears_queue(
    fake: FakeCoder, admin: AuthenticatedClient, fixture_json: Callable[[str], Any]
) -> None:
    chat = create_chat.sync(client=admin, body=ask("first"))
    fake.wait_idle(str(chat.id))
    create_chat_message.sync(chat.id, client=admin, body=say("second"))
    fake.wait_idle(str(chat.id))
    messages = get_chat.sync(chat.id, client=admin).messages
    assert [m.role for m in messages] == ["user", "assistant", "tool"] * 2
    first = messages[0]

    fake.script = Script(auto_run=False)
    assert create_chat_message.sync(chat.id, client=admin, body=say("third")).queued is False
    assert create_chat_message.sync(chat.id, client=admin, body=say("waiting in line")).queued is True
    assert len(get_chat.sync(chat.id, client=admin).queued_messages) == 1

    body = models.EditChatMessageRequest.from_dict(fixture_json("request-edit-chat-message.json"))
    edited = edit_chat_message.sync(chat.id, first.id, client=admin, body=body)
    assert isinstance(edited, models.ChatMessage)
    assert (edited.id, edited.role, edited.chat_id) == (first.id, "user", chat.id)
    assert parts(edited) == [{"type": "text", "text": "hello after edit"}]
    assert edited.created_at == first.created_at

    got = get_chat.sync(chat.id, client=admin)
    assert [m.id for m in got.messages] == [first.id]  # every later message is gone
    assert text_of(got.messages[0]) == "hello after edit"
    assert "first" not in repr([m.to_dict() for m in got.messages])
    assert got.queued_messages == []
    assert got.chat.status == models.ChatStatus.PENDING

    # The chat re-runs from the edited turn.
    fake.script = Script()
    fake.start_turn(str(chat.id))
    assert fake.wait_idle(str(chat.id)) == "waiting"
    rerun = get_chat.sync(chat.id, client=admin).messages
    assert [m.role for m in rerun] == ["user", "assistant", "tool"]
    assert text_of(rerun[1]) == fake.script.reply_text("hello after edit")


# --- interrupt_chat -------------------------------------------------------------------------------


def test_interrupt_running_chat_sets_waiting(fake: FakeCoder, admin: AuthenticatedClient) -> None:
    fake.script = Script(text_deltas=1000, delay=0.01)  # a turn of ~10 s
    chat = create_chat.sync(client=admin, body=ask("take your time"))
    wait_for_status(admin, chat.id, models.ChatStatus.RUNNING)

    interrupted = interrupt_chat.sync(chat.id, client=admin)
    assert isinstance(interrupted, models.Chat)
    assert (interrupted.id, interrupted.status) == (chat.id, models.ChatStatus.WAITING)
    assert interrupted.updated_at > chat.updated_at
    assert interrupted.diff_status is UNSET

    time.sleep(0.05)  # a live turn would have persisted by now; the interrupted one publishes nothing
    got = get_chat.sync(chat.id, client=admin)
    assert got.chat.status == models.ChatStatus.WAITING
    assert [m.role for m in got.messages] == ["user"]


def test_interrupt_pending_chat(fake: FakeCoder, admin: AuthenticatedClient) -> None:
    fake.script = Script(auto_run=False)
    chat = create_chat.sync(client=admin, body=ask("never started"))
    assert interrupt_chat.sync(chat.id, client=admin).status == models.ChatStatus.WAITING
    assert get_chat.sync(chat.id, client=admin).chat.status == models.ChatStatus.WAITING


# --- diff status, diff contents, git changes ------------------------------------------------------


def assert_matches_fixture(model: Any, expected: dict[str, Any]) -> None:
    """Each asserted upstream value; a null is a Go nil pointer with `omitempty`, i.e. absent (UNSET)."""
    for key, value in expected.items():
        actual = getattr(model, key)
        if value is None:
            assert actual is UNSET, key
        elif key.endswith("_at"):
            assert actual == datetime.datetime.fromisoformat(value), key
        else:
            assert actual == value, key


def test_diff_status_without_cache(
    fake: FakeCoder, admin: AuthenticatedClient, fixture_json: Callable[[str], Any]
) -> None:
    chat = create_chat.sync(client=admin, body=ask("no diff yet"))
    status = get_chat_diff_status.sync(chat.id, client=admin)
    assert isinstance(status, models.ChatDiffStatus)
    assert status.chat_id == chat.id
    assert_matches_fixture(status, fixture_json("expected-diff-status-no-cache.json"))
    assert status.to_dict() == {
        "chat_id": str(chat.id),
        "changes_requested": False,
        "additions": 0,
        "deletions": 0,
        "changed_files": 0,
    }


def test_diff_status_with_cache(
    fake: FakeCoder, admin: AuthenticatedClient, fixture_json: Callable[[str], Any]
) -> None:
    chat = create_chat.sync(client=admin, body=ask("make a branch"))
    fake.set_diff_status(
        str(chat.id),
        remote_origin="git@github.com:coder/coder.git",
        branch="feature/diff-status",
        pull_request_state=" open ",
        changes_requested=True,
        additions=11,
        deletions=4,
        changed_files=3,
        refreshed_at="2026-01-15T12:00:00Z",
        stale_at="2026-01-15T13:00:00Z",
    )
    expected = fixture_json("expected-diff-status-cached.json")
    status = get_chat_diff_status.sync(chat.id, client=admin)
    assert status.chat_id == chat.id
    assert_matches_fixture(status, expected)
    assert status.refreshed_at == datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)
    # The same values are embedded in the chat (GET and list).
    embedded = get_chat.sync(chat.id, client=admin).chat.diff_status
    assert isinstance(embedded, models.ChatDiffStatus)
    assert embedded.to_dict() == status.to_dict()
    (listed,) = list_chats.sync(client=admin)
    assert isinstance(listed.diff_status, models.ChatDiffStatus)
    assert listed.diff_status.to_dict() == status.to_dict()


def test_diff_contents_without_reference(admin: AuthenticatedClient) -> None:
    chat = create_chat.sync(client=admin, body=ask("nothing to diff"))
    contents = get_chat_diff_contents.sync(chat.id, client=admin)
    assert isinstance(contents, models.ChatDiffContents)
    assert contents.chat_id == chat.id
    for key in ("provider", "remote_origin", "branch", "pull_request_url", "diff"):
        assert getattr(contents, key) is UNSET, key
    assert contents.to_dict() == {"chat_id": str(chat.id)}


def test_diff_contents_with_cached_reference(
    fake: FakeCoder, admin: AuthenticatedClient, fixture_json: Callable[[str], Any]
) -> None:
    chat = create_chat.sync(client=admin, body=ask("cached diff"))
    expected = fixture_json("expected-diff-contents-cached-reference.json")
    fake.set_diff_reference(
        str(chat.id),
        provider=expected["provider"],
        remote_origin=expected["remote_origin"],
        branch=expected["branch"],
        pull_request_url=expected["pull_request_url"],
        diff=expected["diff"],
    )
    contents = get_chat_diff_contents.sync(chat.id, client=admin)
    assert contents.chat_id == chat.id
    assert (contents.provider, contents.remote_origin, contents.branch) == (
        "gitlab",
        "https://gitlab.example.com/acme/project.git",
        "feature/cached-diff",
    )
    assert contents.pull_request_url is UNSET  # nil pointer, omitempty
    assert contents.diff is UNSET  # empty diff, omitempty


def test_diff_contents_with_pull_request_and_diff(fake: FakeCoder, admin: AuthenticatedClient) -> None:
    chat = create_chat.sync(client=admin, body=ask("open a PR"))
    diff = "diff --git a/README.md b/README.md\n--- a/README.md\n+++ b/README.md\n@@ -1 +1 @@\n-old\n+new ✓\n"
    fake.set_diff_reference(
        str(chat.id),
        provider="github",
        remote_origin="https://github.com/coder/coder.git",
        branch="feature/x",
        pull_request_url="https://github.com/coder/coder/pull/1",
        diff=diff,
    )
    contents = get_chat_diff_contents.sync(chat.id, client=admin)
    assert contents.to_dict() == {
        "chat_id": str(chat.id),
        "provider": "github",
        "remote_origin": "https://github.com/coder/coder.git",
        "branch": "feature/x",
        "pull_request_url": "https://github.com/coder/coder/pull/1",
        "diff": diff,
    }


def test_git_changes_success_from_a_server_that_has_the_route() -> None:
    """No known coderd (and so not the fake) registers git-changes; its 200 shape comes from the spec."""
    chat_id = UUID("5a1e2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b")
    change_id = UUID("0b6f2d9e-1111-4c4c-9a9a-123456789abc")
    body = [
        {
            "id": str(change_id),
            "chat_id": str(chat_id),
            "file_path": "src/new.go",
            "change_type": "renamed",
            "old_path": "src/old.go",
            "diff_summary": "+3 -1",
            "detected_at": "2026-01-15T12:00:00Z",
            "future_field": 1,
        },
        {
            "id": str(change_id),
            "chat_id": str(chat_id),
            "file_path": "README.md",
            "change_type": "modified",
            "detected_at": "2026-01-15T12:00:01.5Z",
        },
    ]

    def handler(request: RecordedRequest) -> Reply:
        assert request.method == "GET"
        assert request.path == f"/api/experimental/chats/{chat_id}/git-changes"
        return Reply(200, body)

    with ScriptedServer(handler) as server, AuthenticatedClient(base_url=server.url, token="t") as client:
        changes = get_chat_git_changes.sync(chat_id, client=client)
        assert server.requests[0].headers["coder-session-token"] == "t"
    renamed, modified = changes
    assert isinstance(renamed, models.ChatGitChange)
    assert (renamed.id, renamed.chat_id, renamed.file_path, renamed.change_type) == (
        change_id,
        chat_id,
        "src/new.go",
        "renamed",
    )
    assert (renamed.old_path, renamed.diff_summary) == ("src/old.go", "+3 -1")
    assert renamed.detected_at == datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)
    assert renamed.additional_properties == {"future_field": 1}
    assert (modified.file_path, modified.change_type, modified.old_path, modified.diff_summary) == (
        "README.md",
        "modified",
        UNSET,
        UNSET,
    )
    assert modified.detected_at == datetime.datetime(2026, 1, 15, 12, 0, 1, 500000, tzinfo=datetime.UTC)


# --- queue: delete and promote --------------------------------------------------------------------


def test_delete_and_promote_queued_messages(fake: FakeCoder, admin: AuthenticatedClient) -> None:
    fake.script = Script(auto_run=False)
    chat = create_chat.sync(client=admin, body=ask("busy"))
    queued = []
    for text in ("q1", "q2", "q3"):
        sent = create_chat_message.sync(chat.id, client=admin, body=say(text))
        assert isinstance(sent.queued_message, models.ChatQueuedMessage)
        queued.append(sent.queued_message)
    q1, q2, q3 = queued
    assert [q.id for q in get_chat.sync(chat.id, client=admin).queued_messages] == [q1.id, q2.id, q3.id]

    assert result_of(lambda: delete_chat_queued_message.sync(chat.id, q2.id, client=admin)) is None
    assert [q.id for q in get_chat.sync(chat.id, client=admin).queued_messages] == [q1.id, q3.id]

    promoted = promote_chat_queued_message.sync(chat.id, q3.id, client=admin)
    assert isinstance(promoted, models.ChatMessage)
    assert (promoted.role, promoted.chat_id) == ("user", chat.id)
    assert parts(promoted) == [{"type": "text", "text": "q3"}]
    assert promoted.id > q3.id  # a new message, not the queued item's id

    got = get_chat.sync(chat.id, client=admin)
    assert [q.id for q in got.queued_messages] == [q1.id]
    assert [(m.role, text_of(m)) for m in got.messages] == [("user", "busy"), ("user", "q3")]
    assert got.messages[-1].id == promoted.id
    assert got.chat.status == models.ChatStatus.PENDING

    # Deleting an id that is not (or no longer) queued is a plain DELETE ... WHERE upstream: 204.
    response = delete_chat_queued_message.sync_detailed(chat.id, q2.id, client=admin)
    assert (response.status_code, response.parsed) == (204, None)
    assert [q.id for q in get_chat.sync(chat.id, client=admin).queued_messages] == [q1.id]
