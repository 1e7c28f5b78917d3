"""A prompt for a chat that waits for client-side tool results (v2 ``requires_action``, calls of an earlier
turn), against the current-Coder fake over real sockets, spec-validated. Coder queues such a prompt behind
the pending calls, so a turn used to wait without a word until its timeout. Now: without ``tools=`` the
turn raises ``ChatRequiresActionError`` before the prompt is sent (nothing queued); with ``tools=`` it
runs and answers the pending calls (each once), then follows the prompt's own turn to its end. The
experimental generation, which has no ``requires_action``, reads the chat as before."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from coder_chat.client import AuthenticatedClient
from coder_chat.client.api.v2 import create_chat
from coder_chat.client.models import ChatInputPart, ChatInputPartType, ChatMessagePart, ChatStatus, CreateChatRequest
from coder_chat.streaming import (
    ChatRequiresActionError,
    Tool,
    TurnError,
    TurnResult,
    aask,
    ask,
    astart_turn,
    start_turn,
)
from coder_chat.streaming._turns.turncore import TurnTracker
from tests.fakecoder import DynamicCall, FakeCoder, Script
from tests.integration.conftest import SPEC
from tests.integration.test_tool_results import RequestLog
from tests.integration.test_turn_tools import CALLS, OUTPUTS, Tools, submissions
from tests.unit.test_turncore import CHAT, action_required, feed, message, queue, status, text

pytestmark = pytest.mark.timeout(30)

FLAVOURS = ["sync", "async"]
PROMPT = "next question"
WAITING_CALLS = CALLS[:2]  # read_note and convert: both implemented by Tools


@pytest.fixture
def fake() -> Iterator[FakeCoder]:
    with FakeCoder(generation="current", validate_spec_path=SPEC, script=Script(text_deltas=1)) as server:
        yield server
    assert server.spec_violations == []


def chat_waiting_for_tools(fake: FakeCoder, tools: list[Tool], calls: tuple[DynamicCall, ...] = WAITING_CALLS) -> str:
    """A chat that declared ``tools`` and whose first turn made ``calls``: it waits in ``requires_action``.
    The agent's later steps say text alone (no tool call), so every tool run below is a waiting call's."""
    fake.script = Script(text_deltas=1, dynamic_calls=calls)
    prompt = [ChatInputPart(type_=ChatInputPartType.TEXT, text="first")]
    declared = [t.to_dynamic_tool() for t in tools]
    body = CreateChatRequest(content=prompt, organization_id=fake.organization_id, unsafe_dynamic_tools=declared)
    with AuthenticatedClient(base_url=fake.url, token=fake.admin_token) as client:
        chat_id = str(create_chat.sync(client=client, body=body).id)
    assert fake.wait_idle(chat_id) == "requires_action"
    fake.script = Script(text_deltas=3, reasoning=False, tool_call=False)
    return chat_id


def server_side(fake: FakeCoder, chat_id: str) -> tuple[Any, ...]:
    """What the server holds of the chat: status, messages (ids and roles), queue, pending calls."""
    with fake.state.lock:
        chat = fake.state.chats[chat_id]
        messages = [(m["id"], m["role"]) for m in chat.messages]
        return chat.status, messages, list(chat.queue), [dict(c) for c in chat.pending_calls]


def open_turn(fake: FakeCoder, flavour: str, call: str, chat_id: str, tools: list[Tool] | None, log: RequestLog) -> Any:
    """``ask`` / ``aask`` (the result), or ``start_turn`` / ``astart_turn`` (the streamed text and the result),
    on ``chat_id`` with ``tools``, every request logged."""
    if flavour == "sync":
        with AuthenticatedClient(base_url=fake.url, token=fake.admin_token) as client:
            client.get_httpx_client().event_hooks["request"].append(log)
            if call == "ask":
                return ask(client, PROMPT, chat_id=chat_id, tools=tools, timeout=10)
            with start_turn(client, PROMPT, chat_id=chat_id, tools=tools) as turn:
                text = "".join(turn.text_stream)
                return text, turn.wait(10)

    async def main() -> Any:
        async with AuthenticatedClient(base_url=fake.url, token=fake.admin_token) as client:
            client.get_async_httpx_client().event_hooks["request"].append(log.hook)
            if call == "ask":
                return await aask(client, PROMPT, chat_id=chat_id, tools=tools, timeout=10)
            async with astart_turn(client, PROMPT, chat_id=chat_id, tools=tools) as turn:
                text = "".join([delta async for delta in turn.text_stream])
                return text, await turn.wait(10)

    return asyncio.run(main())


@pytest.mark.parametrize("call", ["ask", "start_turn"])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_without_tools_the_prompt_is_refused_before_it_is_sent(fake: FakeCoder, flavour: str, call: str) -> None:
    chat_id = chat_waiting_for_tools(fake, Tools().tools)
    before = server_side(fake, chat_id)
    first, second = (c["tool_call_id"] for c in before[3])
    log = RequestLog()
    with pytest.raises(ChatRequiresActionError) as info:
        open_turn(fake, flavour, call, chat_id, None, log)
    error = info.value
    assert str(error) == (
        f"chat {chat_id} is in requires_action: it waits for the results of 2 client-side tool calls "
        f"(read_note id {first}, convert id {second}), and a prompt sent now would be queued behind them; "
        "the prompt was not sent. Answer them with submit_tool_results, or pass tools= to ask/start_turn to "
        "run them in this turn"
    )
    assert isinstance(error, TurnError) and error.message == str(error) and error.result is None
    assert str(error.chat_id) == chat_id
    assert [(c.id, c.name, c.args) for c in error.pending_tool_calls] == [
        (first, "read_note", {"name": "todo"}),
        (second, "convert", {"celsius": 21.5}),
    ]
    # The generation probe, the chat, its last step's messages: no stream opened, no prompt posted.
    assert log.lines == [
        "GET /api/v2/chats?limit=1",
        f"GET /api/v2/chats/{chat_id}",
        f"GET /api/v2/chats/{chat_id}/messages?limit=20",
    ]
    assert server_side(fake, chat_id) == before  # nothing queued or persisted; the chat still waits


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_the_error_names_the_one_call_the_chat_waits_for(fake: FakeCoder, flavour: str) -> None:
    chat_id = chat_waiting_for_tools(fake, Tools().tools, WAITING_CALLS[:1])
    (waiting,) = server_side(fake, chat_id)[3]
    call_id = waiting["tool_call_id"]
    with pytest.raises(ChatRequiresActionError, match="results of 1 client-side tool call ") as info:
        open_turn(fake, flavour, "ask", chat_id, None, RequestLog())
    assert f"(read_note id {call_id}), and a prompt sent now would be queued behind it; " in str(info.value)
    assert "Answer it with submit_tool_results, or pass tools= to ask/start_turn to run it in this turn" in str(
        info.value
    )


@pytest.mark.parametrize("call", ["ask", "start_turn"])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_with_tools_the_turn_answers_the_waiting_calls_then_follows_the_prompt(
    fake: FakeCoder, flavour: str, call: str
) -> None:
    tools = Tools()
    chat_id = chat_waiting_for_tools(fake, tools.tools)
    pending = server_side(fake, chat_id)[3]
    log = RequestLog()
    outcome = open_turn(fake, flavour, call, chat_id, tools.tools, log)
    text, result = outcome if call == "start_turn" else (None, outcome)
    assert isinstance(result, TurnResult)
    assert tools.ran == ["read_note todo", "convert 21.5"]  # each waiting call ran once
    assert len(submissions(log)) == 1
    # The server stored the runner's results for the waiting calls, then ran the queued prompt.
    status, messages, queue, still_pending = server_side(fake, chat_id)
    with fake.state.lock:
        stored = [
            (part["tool_call_id"], part["result"], part.get("is_error", False))
            for message in fake.state.chats[chat_id].messages
            if message["role"] == "tool"
            for part in message["content"]
        ]
    assert stored == [(c["tool_call_id"], output, False) for c, (output, _) in zip(pending, OUTPUTS[:2], strict=True)]
    assert (status, queue, still_pending) == ("waiting", [], [])
    # The result is the prompt's turn alone: its message and the answer to it.
    assert result.status == ChatStatus.WAITING and result.error is None and result.pending_tool_calls == []
    assert result.text == fake.script.reply_text(PROMPT) and result.tool_calls == []
    assert [m.role for m in result.messages] == ["user", "assistant"]
    assert result.messages[0].content[0].text == PROMPT  # type: ignore[index]
    assert [m.id for m in result.messages] == [m_id for m_id, _ in messages[-2:]]
    if call == "start_turn":  # the step that answered the earlier calls is not the prompt's text
        assert text == result.text


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_reconnect_while_the_waiting_calls_run_answers_nothing_twice(fake: FakeCoder, flavour: str) -> None:
    # The stream drops while the sync tool runs: the reconnection replays requires_action and its calls.
    dropped: list[int] = []
    tools = Tools(during=lambda: dropped.append(fake.drop_streams()), pause=0.3)
    chat_id = chat_waiting_for_tools(fake, tools.tools)
    log = RequestLog()
    result = open_turn(fake, flavour, "ask", chat_id, tools.tools, log)
    assert dropped == [1]
    assert tools.ran == ["read_note todo", "convert 21.5"] and len(submissions(log)) == 1
    assert result.status == ChatStatus.WAITING and result.text == fake.script.reply_text(PROMPT)


def test_the_experimental_generation_reads_the_chat_once_as_before() -> None:
    with FakeCoder(validate_spec_path=SPEC, script=Script(text_deltas=1)) as fake:
        chat_id = fake.create_chat("first")
        assert fake.wait_idle(chat_id) == "waiting"
        log = RequestLog()
        result = open_turn(fake, "sync", "ask", chat_id, None, log)
        assert result.status == ChatStatus.WAITING and result.text == fake.script.reply_text(PROMPT)
        opening = log.lines[: log.lines.index(f"POST /api/experimental/chats/{chat_id}/messages")]
        assert opening == ["GET /api/v2/chats?limit=1", f"GET /api/experimental/chats/{chat_id}"]
    assert fake.spec_violations == []


@pytest.mark.parametrize("answers", [True, False])
def test_the_tracker_ends_at_calls_ahead_of_its_queued_prompt_only_when_it_answers_them(answers: bool) -> None:
    """Sans I/O, v2's order: the stream's sync (the chat waits, its calls), the prompt queued as 10, the
    earlier calls answered, the agent's step after them, the prompt promoted as message 7, its turn."""
    tracker = TurnTracker.for_queued(
        CHAT, 10, [ChatMessagePart.from_dict(text("q"))], known_id=4, messages_first=True, answers_earlier_calls=answers
    )
    feed(tracker, status("requires_action"), action_required(("c1", "lookup", '{"id": 1}')))
    assert (tracker.ended, tracker.started, tracker.message_id) == (answers, False, None)
    if answers:
        assert tracker.status == ChatStatus.REQUIRES_ACTION and tracker.error is None
        assert [(c.id, c.name, c.args) for c in tracker.pending_tool_calls] == [("c1", "lookup", {"id": 1})]
        tracker.resume()  # the runner submitted the results: wait for the prompt, which has not run yet
        assert (tracker.ended, tracker.started, tracker.pending_tool_calls) == (False, False, [])
    feed(tracker, queue(10), message(5, "tool"), status("running"), message(6, "assistant", text("done")))
    assert not tracker.ended and not tracker.started  # the step after the results is not the prompt's turn
    feed(tracker, message(7, "user", text("q")), queue(), message(8, "assistant", text("answer")), status("waiting"))
    assert (tracker.ended, tracker.status, tracker.message_id, tracker.error) == (True, ChatStatus.WAITING, 7, None)
