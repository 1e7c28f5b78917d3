"""Turn endings and details that v2 brought, against the fake: ``requires_action`` without tools (the
pending calls), ``paused``, ``TurnResult.error``, the organization a new chat gets, and Coder 2.37, whose
two prefixes serve the same API (the client must speak v2 there). The common cases run on both
generations in test_turns.py; these run on both where both can show them.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from coder_chat.client import AuthenticatedClient
from coder_chat.client.api.v2 import create_chat, get_chat, submit_chat_tool_results
from coder_chat.client.models import (
    ChatError,
    ChatInputPart,
    ChatInputPartType,
    ChatStatus,
    CreateChatRequest,
    DynamicTool,
    EditChatMessageRequest,
    SubmitToolResultsRequest,
    ToolResult,
)
from coder_chat.client.types import UNSET
from coder_chat.streaming import ApiGeneration, TurnError, TurnResult, aask, ask, detect_api, start_turn
from tests.fakecoder import DynamicCall, FakeCoder, Script
from tests.support.generations import GENERATIONS, ops, persisted

pytestmark = pytest.mark.timeout(60)

WEATHER = DynamicTool(name="get_weather", description="Weather of a city.", input_schema={"type": "object"})


@pytest.fixture(params=GENERATIONS)
def fake(request: pytest.FixtureRequest) -> Iterator[FakeCoder]:
    with FakeCoder(script=Script(text_deltas=4), generation=request.param) as server:
        yield server


@pytest.fixture
def v2fake() -> Iterator[FakeCoder]:
    with FakeCoder(script=Script(text_deltas=4), generation="current") as server:
        yield server


def client_of(fake: FakeCoder) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=fake.url, token=fake.admin_token)


def chat_with_tools(fake: FakeCoder, client: AuthenticatedClient) -> str:
    """A v2 chat that declared ``get_weather``, its first turn answered: waiting, ready for a prompt."""
    fake.script = Script(text_deltas=4, dynamic_calls=(DynamicCall("get_weather", {"city": "Paris"}),))
    prompt = [ChatInputPart(type_=ChatInputPartType.TEXT, text="first")]
    body = CreateChatRequest(content=prompt, organization_id=fake.organization_id, unsafe_dynamic_tools=[WEATHER])
    chat_id = str(create_chat.sync(client=client, body=body).id)
    assert fake.wait_idle(chat_id) == "requires_action"
    (call,) = fake.state.chats[chat_id].pending_calls
    results = SubmitToolResultsRequest(results=[ToolResult(tool_call_id=call["tool_call_id"], output={"t": 21})])
    submit_chat_tool_results.sync(chat_id, client=client, body=results)
    assert fake.wait_idle(chat_id) == "waiting"
    return chat_id


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_requires_action_without_tools_ends_the_turn_with_its_pending_calls(v2fake: FakeCoder, flavour: str) -> None:
    with client_of(v2fake) as client:
        chat_id = chat_with_tools(v2fake, client)
        if flavour == "sync":
            result = ask(client, "again", chat_id=chat_id, timeout=20)
        else:

            async def main() -> TurnResult:
                async with client_of(v2fake) as async_client:
                    return await aask(async_client, "again", chat_id=chat_id, timeout=20)

            result = asyncio.run(main())
    (pending,) = v2fake.state.chats[chat_id].pending_calls  # what the server waits for
    assert result.status == ChatStatus.REQUIRES_ACTION and result.error is None
    assert [(c.id, c.name, c.args) for c in result.pending_tool_calls] == [
        (pending["tool_call_id"], "get_weather", {"city": "Paris"})
    ]
    assert result.text == v2fake.script.reply_text("again")
    assert [(c.id, c.result) for c in result.tool_calls] == [(pending["tool_call_id"], None)]  # no result yet
    assert [m.role for m in result.messages] == ["user", "assistant"]


def test_paused_ends_the_turn(fake: FakeCoder) -> None:
    # v2's `paused`: the chat stopped at a queued message under edit (the experimental API's own `paused`
    # is a rest too).
    fake.script = Script(text_deltas=4, auto_run=False)
    with client_of(fake) as client:
        chat_id = fake.create_chat("x")
        fake.set_chat_status(chat_id, "waiting")
        with start_turn(client, "held", chat_id=chat_id) as turn:
            deadline = time.monotonic() + 5
            while fake.state.chats[chat_id].status == "waiting" and time.monotonic() < deadline:
                time.sleep(0.01)  # the prompt is persisted and the chat busy
            fake.set_chat_status(chat_id, "paused")
            result = turn.wait(timeout=10)
    assert result.status == ChatStatus.PAUSED and result.error is None and result.pending_tool_calls == []
    assert [m.role for m in result.messages] == ["user"]


def test_a_failed_turn_carries_the_chat_error(fake: FakeCoder) -> None:
    fake.script = Script(text_deltas=3, delay=0.05, fail_with="The model provider is unavailable.")
    with client_of(fake) as client, pytest.raises(TurnError) as raised:
        ask(client, "doomed", timeout=20)
    error = raised.value.result.error
    assert isinstance(error, ChatError)
    assert error.message == "The model provider is unavailable."
    # v2's ChatError has a kind (the fake's is "generic"); the experimental API's error is a message alone.
    assert error.kind == ("generic" if fake.generation.v2 else UNSET)
    assert raised.value.result.status == ChatStatus.ERROR


def test_a_new_chat_is_created_in_the_resolved_organization(v2fake: FakeCoder) -> None:
    with client_of(v2fake) as client:
        result = ask(client, "where am I", timeout=20)
        chat = get_chat.sync(result.chat_id, client=client)
    assert str(chat.organization_id) == v2fake.organization_id


def test_organization_id_is_sent_as_given(v2fake: FakeCoder) -> None:
    with client_of(v2fake) as client:
        result = ask(client, "here", organization_id=v2fake.organization_id, timeout=20)
        assert str(get_chat.sync(result.chat_id, client=client).organization_id) == v2fake.organization_id
        with pytest.raises(ValueError, match="organization_id must be a UUID"):
            ask(client, "nowhere", organization_id="not an id")


def test_on_coder_2_37_a_turn_speaks_v2() -> None:
    """2.37 serves the same v2 API under both prefixes: every call of the turn goes to /api/v2."""
    paths: list[str] = []
    lock = threading.Lock()

    def record(request: httpx.Request) -> None:
        with lock:
            paths.append(request.url.path)

    with FakeCoder(script=Script(text_deltas=4), generation="2.37") as fake, client_of(fake) as client:
        client.get_httpx_client().event_hooks["request"].append(record)
        first = ask(client, "on 2.37", timeout=20)
        second = ask(client, "again", chat_id=first.chat_id, timeout=20)
        assert detect_api(client) is ApiGeneration.V2
    assert first.text == fake.script.reply_text("on 2.37") and second.text == fake.script.reply_text("again")
    chat_paths = [p for p in paths if "/chats" in p]
    assert chat_paths and all(p.startswith("/api/v2/chats") for p in chat_paths), chat_paths


def test_a_follow_up_to_an_edited_chat(fake: FakeCoder) -> None:
    """A v2 chat that was ever edited opens every stream with history_reset and its whole history: the
    replay is not the turn's (nor an edit that cuts the prompt off), for a queued prompt and an idle one."""
    with client_of(fake) as client:
        first = ask(client, "first", timeout=20)
        body = EditChatMessageRequest(content=[ChatInputPart(type_=ChatInputPartType.TEXT, text="edited")])
        fake.script = Script(text_deltas=40, delay=0.01)  # the edited turn runs for about 0.4 s
        ops(fake).edit_chat_message.sync(first.chat_id, first.messages[0].id, client=client, body=body)
        queued = ask(client, "queued behind the edit", chat_id=first.chat_id, timeout=20)  # the chat is busy
        assert queued.text == fake.script.reply_text("queued behind the edit") and queued.error is None
        assert fake.wait_idle(str(first.chat_id)) == "waiting"
        fake.script = Script(text_deltas=4)
        result = ask(client, "after the edit", chat_id=first.chat_id, timeout=20)
        history = persisted(client, first.chat_id)
    assert result.status == ChatStatus.WAITING and result.error is None
    assert result.text == fake.script.reply_text("after the edit")
    assert [m.id for m in result.messages] == [m.id for m in history][-len(result.messages) :]
    assert [p.text for p in result.messages[0].content] == ["after the edit"]  # type: ignore[union-attr]
