"""Client-side tools inside a turn (``ask`` / ``aask`` / ``start_turn`` / ``astart_turn`` with ``tools=``)
against the current-Coder fake over real sockets, spec-validated: the chat declares the tools, the turn runs
every call of each ``action_required`` and submits the results in one request, then follows the chat to
rest; error results for exceptions, bad arguments and unknown tools; several rounds; a reconnect while
the tools run answers nothing twice; the turn's timeout covers the tools; an experimental-generation
server gets ``ValueError`` before anything but the generation probe."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from coder_chat.client import AuthenticatedClient
from coder_chat.client.models import ChatStatus
from coder_chat.streaming import (
    Tool,
    TurnResult,
    TurnTimeoutError,
    TurnToolCall,
    aask,
    ask,
    astart_turn,
    start_turn,
    tool,
)
from coder_chat.streaming._turns.toolrunner import V2_ONLY
from tests.fakecoder import DynamicCall, FakeCoder, Script
from tests.integration.conftest import SPEC
from tests.integration.test_tool_results import RequestLog

pytestmark = pytest.mark.timeout(60)

FLAVOURS = ["sync", "async"]
CALLS = (
    DynamicCall("read_note", {"name": "todo"}),
    DynamicCall("convert", {"celsius": 21.5}),
    DynamicCall("launch_rockets", {}),  # declared by nobody: the runner has no implementation
    DynamicCall("convert", '{"celsius": "hot"}'),  # does not fit the schema
)
OUTPUTS: list[tuple[Any, bool]] = [
    ({"name": "todo", "text": "buy milk"}, False),
    (21.5 * 9 / 5 + 32, False),
    (
        "unknown tool 'launch_rockets': this client has no implementation of it (its tools: 'read_note', 'convert')",
        True,
    ),
    ("invalid parameters: Expected `float`, got `str` - at `$.celsius`", True),
]


@pytest.fixture
def fake() -> Iterator[FakeCoder]:
    with FakeCoder(generation="current", validate_spec_path=SPEC, script=Script(text_deltas=1)) as server:
        yield server
    assert server.spec_violations == []


class Tools:
    """One sync and one async tool that count their calls; ``during`` runs inside each call (a fault)."""

    def __init__(self, during: Callable[[], None] = lambda: None, pause: float = 0.0) -> None:
        self.ran: list[str] = []

        @tool
        def read_note(name: str) -> dict[str, str]:
            """Read a note by its name."""
            self.ran.append(f"read_note {name}")
            during()
            time.sleep(pause)
            return {"name": name, "text": "buy milk"}

        @tool
        async def convert(celsius: float) -> float:
            """Celsius to Fahrenheit."""
            self.ran.append(f"convert {celsius}")
            await asyncio.sleep(pause)
            return celsius * 9 / 5 + 32

        self.tools: list[Tool] = [read_note, convert]


def run_ask(fake: FakeCoder, flavour: str, tools: list[Tool], log: RequestLog, **kwargs: Any) -> TurnResult:
    """``ask`` (sync) or ``aask`` (in its own event loop) with ``tools``, every request logged."""
    if flavour == "sync":
        with AuthenticatedClient(base_url=fake.url, token=fake.admin_token) as client:
            client.get_httpx_client().event_hooks["request"].append(log)
            return ask(client, "use your tools", tools=tools, backoff_initial=0.01, **kwargs)

    async def main() -> TurnResult:
        async with AuthenticatedClient(base_url=fake.url, token=fake.admin_token) as client:
            client.get_async_httpx_client().event_hooks["request"].append(log.hook)
            return await aask(client, "use your tools", tools=tools, backoff_initial=0.01, **kwargs)

    return asyncio.run(main())


def submissions(log: RequestLog) -> list[str]:
    return [line for line in log.lines if line.startswith("POST") and line.endswith("/tool-results")]


def expected_calls(result: TurnResult, outputs: list[tuple[Any, bool]], calls: tuple[DynamicCall, ...]) -> None:
    """The turn's tool calls are the script's, each paired with the result the runner submitted."""
    assert [(c.name, c.result, c.is_error) for c in result.tool_calls] == [
        (call.name, output, is_error) for call, (output, is_error) in zip(calls, outputs, strict=True)
    ]
    assert all(isinstance(c, TurnToolCall) and c.id for c in result.tool_calls)
    assert result.text.endswith(
        Script.after_tools_text(
            [
                {"tool_name": call.name, "output": output, "is_error": is_error}
                for call, (output, is_error) in zip(calls, outputs, strict=True)
            ]
        )
    )


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_turn_runs_its_tools_and_completes(fake: FakeCoder, flavour: str) -> None:
    fake.script = Script(text_deltas=1, dynamic_calls=CALLS)
    tools, log = Tools(), RequestLog()
    result = run_ask(fake, flavour, tools.tools, log, timeout=20)
    assert result.status == ChatStatus.WAITING and result.error is None and result.pending_tool_calls == []
    expected_calls(result, OUTPUTS, CALLS)
    assert tools.ran == ["read_note todo", "convert 21.5"]
    assert len(submissions(log)) == 1
    (chat,) = fake.state.chats.values()
    assert chat.dynamic_tools == [t.to_dynamic_tool().to_dict() for t in tools.tools]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_an_exception_in_a_tool_is_an_error_result(fake: FakeCoder, flavour: str) -> None:
    @tool
    def lookup(ticket: int) -> str:
        """Look a ticket up."""
        raise LookupError(f"no ticket {ticket}")

    calls = (DynamicCall("lookup", {"ticket": 7}),)
    fake.script = Script(text_deltas=1, dynamic_calls=calls)
    result = run_ask(fake, flavour, [lookup], RequestLog(), timeout=20)
    expected_calls(result, [("LookupError: no ticket 7", True)], calls)
    assert result.status == ChatStatus.WAITING


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_an_output_too_large_to_submit_is_an_error_result_and_the_turn_goes_on(fake: FakeCoder, flavour: str) -> None:
    ran: list[str] = []

    @tool
    def dump(name: str) -> str:
        """Return a file's contents."""
        ran.append(name)
        return "x" * 300_000 if name == "big" else name

    calls = (DynamicCall("dump", {"name": "big"}), DynamicCall("dump", {"name": "small"}))
    fake.script = Script(text_deltas=1, dynamic_calls=calls)
    log = RequestLog()
    result = run_ask(fake, flavour, [dump], log, timeout=20)
    assert result.status == ChatStatus.WAITING and result.error is None  # a 413 left it in requires_action
    (big, small) = result.tool_calls
    assert big.is_error is True and str(big.result).startswith("the tool's output is 300,0")
    assert (small.result, small.is_error) == ("small", False)
    assert ran == ["big", "small"] and len(submissions(log)) == 1


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_several_rounds(fake: FakeCoder, flavour: str) -> None:
    fake.script = Script(text_deltas=1, dynamic_calls=CALLS[:2], dynamic_rounds=3)
    tools, log = Tools(), RequestLog()
    result = run_ask(fake, flavour, tools.tools, log, timeout=20)
    assert result.status == ChatStatus.WAITING
    assert tools.ran == ["read_note todo", "convert 21.5"] * 3
    assert len(submissions(log)) == 3
    assert len(result.tool_calls) == 6 and len({c.id for c in result.tool_calls}) == 6
    assert [(c.name, c.result) for c in result.tool_calls] == [
        (c.name, o) for c, (o, _) in zip(CALLS[:2], OUTPUTS[:2], strict=True)
    ] * 3


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_reconnect_while_the_tools_run_answers_nothing_twice(fake: FakeCoder, flavour: str) -> None:
    fake.script = Script(text_deltas=1, dynamic_calls=CALLS[:2])
    dropped: list[int] = []
    # The stream drops while the sync tool runs; the pause lets it reconnect and replay action_required.
    tools, log = Tools(during=lambda: dropped.append(fake.drop_streams()), pause=0.3), RequestLog()
    result = run_ask(fake, flavour, tools.tools, log, timeout=20)
    assert dropped == [1]  # the turn's only stream dropped: it completed on the reconnected one
    assert tools.ran == ["read_note todo", "convert 21.5"]
    assert len(submissions(log)) == 1
    expected_calls(result, OUTPUTS[:2], CALLS[:2])


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_round_that_asks_for_tools_while_the_stream_is_down_still_runs_them(fake: FakeCoder, flavour: str) -> None:
    """The stream drops while the first round's tool runs and stays down (its next handshakes refused) while
    the agent goes on to a second round that asks for tools again: the reconnection's sync gives
    ``requires_action`` again, equal to the last status seen, then the second round's calls. Each round's
    tool runs once (the status used to be taken for a replay, and the turn waited for good)."""
    fake.script = Script(text_deltas=1, dynamic_calls=CALLS[:1], dynamic_rounds=2)
    dropped: list[int] = []

    def away() -> None:
        if not dropped:
            fake.refuse_next_streams(5)  # about 0.3 s of backoff: the second round happens meanwhile
            dropped.append(fake.drop_streams())

    tools, log = Tools(during=away), RequestLog()
    result = run_ask(fake, flavour, tools.tools, log, timeout=20)
    assert dropped == [1]
    assert tools.ran == ["read_note todo"] * 2
    assert len(submissions(log)) == 2
    assert result.status == ChatStatus.WAITING
    assert [(c.name, c.result) for c in result.tool_calls] == [("read_note", OUTPUTS[0][0])] * 2


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_the_turns_timeout_covers_a_slow_tool(fake: FakeCoder, flavour: str) -> None:
    fake.script = Script(text_deltas=1, dynamic_calls=CALLS[1:2])
    tools, log = Tools(pause=3.0), RequestLog()
    started = time.monotonic()
    with pytest.raises(TurnTimeoutError, match="while tool 'convert' ran") as info:
        run_ask(fake, flavour, tools.tools, log, timeout=1.0)
    assert time.monotonic() - started < 2.5  # the async tool was cancelled at the deadline
    assert info.value.result is not None and info.value.result.status == ChatStatus.REQUIRES_ACTION
    assert tools.ran == ["convert 21.5"] and submissions(log) == []
    (chat_id,) = fake.state.chats
    assert fake.wait_idle(chat_id) == "requires_action"  # nothing was submitted: the chat still waits


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_text_stream_and_events_go_on_across_the_tool_round(fake: FakeCoder, flavour: str) -> None:
    # The agent starts once the stream is open, so that every step's text comes as deltas.
    fake.script = Script(auto_run=False)
    # While a sync turn's tools run, its pump thread reads the stream (the caller's thread read it until then).
    turns: list[Any] = []
    pumping: list[bool] = []
    tools = Tools(during=lambda: pumping.extend(turn._pumping for turn in turns))

    def go(chat_id: object) -> None:  # the step after the tool results runs on its own again
        fake.script = Script(text_deltas=3, dynamic_calls=CALLS[:2])
        fake.start_turn(str(chat_id))

    if flavour == "sync":
        with (
            AuthenticatedClient(base_url=fake.url, token=fake.admin_token) as client,
            start_turn(client, "use your tools", tools=tools.tools) as turn,
        ):
            turns.append(turn)
            go(turn.chat_id)
            text = "".join(turn.text_stream)
            result = turn.wait(20)
    else:

        async def main() -> tuple[str, TurnResult]:
            async with (
                AuthenticatedClient(base_url=fake.url, token=fake.admin_token) as client,
                astart_turn(client, "use your tools", tools=tools.tools) as turn,
            ):
                go(turn.chat_id)
                text = "".join([d async for d in turn.text_stream])
                return text, await turn.wait(20)

        text, result = asyncio.run(main())
    assert text == result.text and result.text.startswith("You said: use your tools")
    assert result.status == ChatStatus.WAITING
    expected_calls(result, OUTPUTS[:2], CALLS[:2])
    assert pumping == ([True] if flavour == "sync" else [])  # an async turn's pump task reads from the start


@pytest.mark.parametrize("api_generation", ["auto", "experimental"])
def test_tools_on_an_experimental_server_raise_before_anything_is_sent(api_generation: str) -> None:
    probe = [] if api_generation == "experimental" else ["GET /api/v2/chats?limit=1"]
    tools = Tools().tools
    with FakeCoder() as fake:  # the experimental generation
        log = RequestLog()
        with AuthenticatedClient(base_url=fake.url, token=fake.admin_token, api_generation=api_generation) as client:
            client.get_httpx_client().event_hooks["request"].append(log)
            for call in (
                lambda: ask(client, "hi", tools=tools),
                lambda: start_turn(client, "hi", tools=tools),
                lambda: ask(client, "hi", chat_id=fake.create_chat(), tools=tools),
            ):
                with pytest.raises(ValueError, match="need Coder's v2 chat API") as info:
                    call()
                assert str(info.value) == V2_ONLY
            assert log.lines == probe

            async def main() -> None:
                client.get_async_httpx_client().event_hooks["request"].append(log.hook)
                try:
                    with pytest.raises(ValueError, match="need Coder's v2 chat API"):
                        await aask(client, "hi", tools=tools)
                    with pytest.raises(ValueError, match="need Coder's v2 chat API"):
                        await astart_turn(client, "hi", tools=tools)
                finally:
                    await client.aclose()

            asyncio.run(main())
            assert log.lines == probe  # the probe's answer is cached
        assert len(fake.state.chats) == 1  # only the chat the test made itself


def test_bad_tools_are_refused_before_any_request(fake: FakeCoder) -> None:
    log = RequestLog()
    with AuthenticatedClient(base_url=fake.url, token=fake.admin_token) as client:
        client.get_httpx_client().event_hooks["request"].append(log)
        read_note = Tools().tools[0]
        with pytest.raises(TypeError, match="not a single Tool"):
            ask(client, "hi", tools=read_note)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="two tools are named 'read_note'"):
            start_turn(client, "hi", tools=[read_note, read_note])
        with pytest.raises(TypeError, match="must be Tool objects"):
            astart_turn(client, "hi", tools=[print])  # type: ignore[list-item]
    assert log.lines == []


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_follow_up_answers_what_the_chat_declared_and_without_tools_the_turn_waits(
    fake: FakeCoder, flavour: str
) -> None:
    fake.script = Script(text_deltas=1, dynamic_calls=CALLS[:2])
    tools, log = Tools(), RequestLog()
    first = run_ask(fake, flavour, tools.tools, log, timeout=20)
    follow_up = run_ask(fake, flavour, tools.tools, log, chat_id=first.chat_id, timeout=20)
    assert follow_up.chat_id == first.chat_id and follow_up.status == ChatStatus.WAITING
    expected_calls(follow_up, OUTPUTS[:2], CALLS[:2])
    assert tools.ran == ["read_note todo", "convert 21.5"] * 2
    assert len(submissions(log)) == 2
    assert [line for line in log.lines if line == "POST /api/v2/chats"] == ["POST /api/v2/chats"]  # one chat
    # The same chat without tools=: the turn ends where the agent waits, the calls pending.
    with AuthenticatedClient(base_url=fake.url, token=fake.admin_token) as client:
        waiting = ask(client, "again", chat_id=first.chat_id, timeout=20)
    assert waiting.status == ChatStatus.REQUIRES_ACTION
    assert [(c.name, c.args) for c in waiting.pending_tool_calls] == [(c.name, c.args) for c in CALLS[:2]]
    assert tools.ran == ["read_note todo", "convert 21.5"] * 2
