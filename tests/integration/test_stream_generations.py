"""``stream_chat`` (and ``astream_chat``, through the blocking bridge) on each API generation: the same
code on the experimental fake and the current-Coder fake (and Coder 2.37's, where both prefixes answer)
folds into the same ``ChatAccumulator`` state; v2's own events: websocket pings as the only keepalive,
``history_reset`` after an edit, ``action_required``. docs/protocol.md, "Two generations"."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

import pytest

from coder_chat.client import AuthenticatedClient
from coder_chat.client.api.v2 import create_chat, create_chat_message, edit_chat_message, submit_chat_tool_results
from coder_chat.client.models import (
    ChatInputPart,
    ChatInputPartType,
    ChatMessage,
    ChatStatus,
    ChatStreamEvent,
    CreateChatMessageRequest,
    CreateChatRequest,
    DynamicTool,
    EditChatMessageRequest,
    SubmitToolResultsRequest,
    ToolResult,
)
from coder_chat.streaming import ChatAccumulator, load_chat, stream_chat
from tests.fakecoder import DynamicCall, FakeCoder, Script
from tests.fakecoder.generation import GenerationName
from tests.support.generations import api_generation_of
from tests.support.stream_view import View, call_later, collect, status_is

# Every test runs against stream_chat and against astream_chat (through the blocking bridge).
pytestmark = [pytest.mark.timeout(30), pytest.mark.usefixtures("flavour")]

PROMPT = "list the files"


def no_sleep(_seconds: float) -> None:
    """Reconnect at once."""


def text(value: str) -> list[ChatInputPart]:
    return [ChatInputPart(type_=ChatInputPartType.TEXT, text=value)]


@pytest.fixture(params=["experimental", "2.37", "current"])
def fake(request: pytest.FixtureRequest) -> Iterator[FakeCoder]:
    generation: GenerationName = request.param
    with FakeCoder(script=Script(auto_run=False, text_deltas=12), generation=generation) as server:
        yield server


@pytest.fixture
def v2fake() -> Iterator[FakeCoder]:
    with FakeCoder(script=Script(text_deltas=3), generation="current") as server:
        yield server


def client_of(fake: FakeCoder, generation: str | None = None) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=fake.url, token=fake.admin_token, api_generation=generation or api_generation_of(fake)
    )


def fold(view: View, chat_id: str, start: ChatAccumulator | None = None) -> ChatAccumulator:
    """The events of ``view`` applied to ``start`` (default: a new accumulator)."""
    state = start if start is not None else ChatAccumulator(chat_id)
    for event in view.events:
        state.apply(ChatStreamEvent.from_dict(event))
    return state


def test_the_same_turn_on_every_generation_with_a_drop_mid_turn(fake: FakeCoder) -> None:
    chat_id = fake.create_chat(PROMPT)
    # "auto": the client probes once; each generation's stream, wherever it answers.
    with client_of(fake, "auto") as client, stream_chat(client, chat_id, sleep=no_sleep) as stream:
        fake.script = Script(auto_run=False, text_deltas=12, delay=0.01)
        fake.drop_next_streams(6)  # the next connection, a reconnection, is cut mid-turn too
        fake.drop_streams()  # this one now
        fake.start_turn(chat_id)
        view = collect(stream, until=status_is("waiting"))
        assert stream.reconnects >= 1
    state = fold(view, chat_id)
    assert state.status is ChatStatus.WAITING
    assert [m.role for m in state.messages] == ["user", "assistant", "tool"]
    assert state.turn.is_empty  # the persisted messages replaced the preview
    assert view.text == fake.script.reply_text(PROMPT)  # every delta exactly once
    assert len(view.parts("text")) == 12
    started = ["pending", "running"] if fake.generation.name == "experimental" else ["running"]
    assert view.statuses == [*started, "waiting"]  # a new chat starts running on v2


@pytest.mark.serial
def test_an_idle_v2_chat_kept_alive_by_pings_only_is_no_drop() -> None:
    # Protocol pings every 0.2 s, no frame for 1.5 s, an idle timeout of 0.6 s.
    with FakeCoder(script=Script(auto_run=False, text_deltas=2), generation="current", ping_interval=0.2) as fake:
        chat_id = fake.create_chat(PROMPT)
        with client_of(fake) as client, stream_chat(client, chat_id, idle_timeout=0.6, reconnect=False) as stream:
            call_later(1.5, lambda: fake.start_turn(chat_id))
            view = collect(stream, until=status_is("waiting"), timeout=10)
            assert stream.reconnects == 0  # reconnect=False: a drop would have raised
            assert fake.stream_count(chat_id) == 1
    assert view.statuses == ["running", "waiting"]


def test_an_edit_is_delivered_as_history_reset_and_a_reconnect_replays_none_of_it(v2fake: FakeCoder) -> None:
    chat_id = v2fake.create_chat("first")
    assert v2fake.wait_idle(chat_id) == "waiting"
    with client_of(v2fake) as client:
        state = load_chat(client, chat_id)
        first_user = state.messages[0]
        with stream_chat(client, chat_id, after_id=state.last_message_id, sleep=no_sleep) as stream:
            body = EditChatMessageRequest(content=text("edited"))
            edit_chat_message.sync(UUID(chat_id), first_user.id, client=client, body=body)
            seen: list[str] = []

            def edited_turn_over(event: ChatStreamEvent) -> bool:
                seen.append(str(event.type_))  # the first waiting is the connect sync's
                return "history_reset" in seen and status_is("waiting")(event)

            edited = collect(stream, until=edited_turn_over)
            types = [e["type"] for e in edited.events]
            assert types[:3] == ["status", "preview_reset", "history_reset"] and types.count("history_reset") == 1
            for event in edited.events:
                state.apply(ChatStreamEvent.from_dict(event))
            rest = load_chat(client, chat_id)
            assert [(m.id, m.role) for m in state.messages] == [(m.id, m.role) for m in rest.messages]
            assert first_user.id not in [m.id for m in state.messages]  # the edit removed it
            # A reconnection opens with history_reset and the whole (unchanged) history again: nothing comes out.
            v2fake.drop_streams()
            request = CreateChatMessageRequest(content=text("next"))
            assert create_chat_message.sync(UUID(chat_id), client=client, body=request) is not None
            newest = max(m.id for m in rest.messages)

            def next_turn_persisted(event: ChatStreamEvent) -> bool:
                # The whole turn may run before the reconnection: its statuses then net out to none.
                message = event.message
                return isinstance(message, ChatMessage) and message.role == "tool" and message.id > newest

            after = collect(stream, until=next_turn_persisted)
            assert stream.reconnects == 1
    assert "history_reset" not in [e["type"] for e in after.events]  # nothing of the old history again
    assert after.message_ids == sorted(set(after.message_ids))  # each new message once
    assert min(after.message_ids) > newest
    assert [m["role"] for m in after.messages] == ["user", "assistant", "tool"]


def test_action_required_reaches_the_accumulator_once_across_a_reconnect(v2fake: FakeCoder) -> None:
    v2fake.script = Script(text_deltas=2, dynamic_calls=(DynamicCall("get_weather", {"city": "Paris"}),))
    with client_of(v2fake) as client:
        weather = DynamicTool(name="get_weather", input_schema={"type": "object"})
        body = CreateChatRequest(
            content=text("weather?"), organization_id=UUID(v2fake.organization_id), unsafe_dynamic_tools=[weather]
        )
        chat = create_chat.sync(client=client, body=body)
        assert chat is not None
        chat_id = str(chat.id)
        assert v2fake.wait_idle(chat_id) == "requires_action"
        with stream_chat(client, chat_id, sleep=no_sleep) as stream:
            first = collect(stream, until=lambda e: str(e.type_) == "action_required")
            state = fold(first, chat_id)
            assert state.status == ChatStatus.REQUIRES_ACTION
            (call,) = state.pending_tool_calls
            assert (call.tool_name, call.args) == ("get_weather", '{"city":"Paris"}')
            v2fake.drop_streams()  # the reconnection's sync repeats status and action_required
            results = [ToolResult(tool_call_id=call.tool_call_id, output={"temp": 21})]
            submit_chat_tool_results.sync(UUID(chat_id), client=client, body=SubmitToolResultsRequest(results=results))
            rest = collect(stream, until=status_is("waiting"))  # requires_action before: a change, never netted out
            assert stream.reconnects == 1
    assert [e["type"] for e in rest.events].count("action_required") == 0
    assert "requires_action" not in rest.statuses  # the sync's repeat of it is no news
    after = fold(rest, chat_id, start=state)
    assert after.pending_tool_calls == [] and after.status is ChatStatus.WAITING
    assert after.messages[-1].role == "assistant"


def test_coder_2_37_streams_on_either_prefix_with_the_same_events() -> None:
    """2.37 serves v2 on both prefixes: a client forced to "experimental" reads its compatibility mount
    (v2 frames on the old path) as well as a v2 client reads /api/v2."""
    views: list[View] = []
    for generation in ("experimental", "v2"):
        with FakeCoder(script=Script(auto_run=False, text_deltas=5), generation="2.37") as fake:
            chat_id = fake.create_chat(PROMPT)
            with client_of(fake, generation) as client, stream_chat(client, chat_id) as stream:
                fake.start_turn(chat_id)
                views.append(collect(stream, until=status_is("waiting")))
    experimental, v2 = views
    assert experimental.normalized == v2.normalized
    assert v2.statuses == ["running", "waiting"] and v2.text == Script().reply_text(PROMPT)
