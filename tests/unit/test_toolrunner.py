"""The client-side tool runner without a server: ``ToolRunner`` and the batch helpers ``run_tool_calls`` /
``arun_tool_calls``: outcomes as ``ToolResult`` models, each ``tool_call_id`` run once, deadlines."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import json
import threading
import time
from typing import Any
from uuid import UUID

import pytest

from coder_chat.client import ApiGeneration
from coder_chat.client.models import ChatStreamToolCall, ToolResult
from coder_chat.streaming import Tool, TurnTimeoutError, tool
from coder_chat.streaming._turns.toolio import arun_tool_calls, run_tool_calls
from coder_chat.streaming._turns.toolrunner import MAX_SUBMISSION_BYTES, V2_ONLY, ToolRunner, require_v2

pytestmark = pytest.mark.timeout(30)


@dataclasses.dataclass
class Box:
    width: float
    tags: list[str] = dataclasses.field(default_factory=list)


def call(call_id: str, name: str, args: Any) -> ChatStreamToolCall:
    return ChatStreamToolCall(call_id, name, args if isinstance(args, str) else json.dumps(args))


class Recorder:
    """Tools that count their calls: ``add`` (sync), ``double`` (async), ``fail`` and ``odd``."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.threads: list[int] = []

        @tool
        def add(a: int, b: int = 1) -> int:
            """Add two numbers."""
            self.calls.append(("add", (a, b)))
            self.threads.append(threading.get_ident())
            return a + b

        @tool
        async def double(x: float) -> dict[str, float]:
            self.calls.append(("double", x))
            await asyncio.sleep(0)
            return {"x": x * 2}

        @tool
        def fail(message: str) -> None:
            self.calls.append(("fail", message))
            raise ValueError(message)

        @tool
        def odd(kind: str) -> Any:
            self.calls.append(("odd", kind))
            values: dict[str, Any] = {
                "object": object(),
                "nan": float("nan"),
                "date": datetime.date(2026, 12, 7),
                "box": Box(2.0, ["a"]),
                "uuid": UUID(int=1),
                "timeout": TimeoutError("the tool's own"),
            }
            value = values[kind]
            if isinstance(value, Exception):
                raise value
            return value

        self.tools = [add, double, fail, odd]


def run(flavour: str, runner: ToolRunner, calls: list[ChatStreamToolCall], **kw: Any) -> list[ToolResult] | None:
    if flavour == "sync":
        return run_tool_calls(runner, calls, **kw)
    return asyncio.run(arun_tool_calls(runner, calls, **kw))


def answers(results: list[ToolResult] | None) -> list[tuple[str, Any, object]]:
    assert results is not None
    return [(r.tool_call_id, r.output, r.is_error) for r in results]


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_several_calls_answered_in_order_with_every_kind_of_outcome(flavour: str) -> None:
    rec = Recorder()
    runner = ToolRunner(rec.tools)
    calls = [
        call("c1", "add", {"a": 2, "b": 3}),
        call("c2", "double", {"x": 1.5}),
        call("c3", "fail", {"message": "disk full"}),
        call("c4", "launch_rockets", {}),
        call("c5", "add", {"a": "2"}),
        call("c6", "add", '{"a": 1'),
        call("c7", "add", [1, 2]),
        call("c8", "add", {"b": 2}),
        call("c9", "add", ""),
        call("c10", "odd", {"kind": "object"}),
        call("c11", "odd", {"kind": "nan"}),
        call("c12", "odd", {"kind": "date"}),
        call("c13", "odd", {"kind": "box"}),
        call("c14", "odd", {"kind": "uuid"}),
        call("c15", "odd", {"kind": "timeout"}),
        call("c16", "add", {"a": 1, "unknown": True}),
    ]
    results = run(flavour, runner, calls)
    assert answers(results) == [
        ("c1", 5, False),
        ("c2", {"x": 3.0}, False),
        ("c3", "ValueError: disk full", True),
        (
            "c4",
            "unknown tool 'launch_rockets': this client has no implementation of it "
            "(its tools: 'add', 'double', 'fail', 'odd')",
            True,
        ),
        ("c5", "invalid parameters: Expected `int`, got `str` - at `$.a`", True),
        ("c6", "invalid parameters: Input data was truncated", True),
        ("c7", "invalid parameters: Expected `object`, got `array`", True),
        ("c8", "invalid parameters: Object missing required field `a`", True),
        ("c9", "invalid parameters: Object missing required field `a`", True),
        (
            "c10",
            "tool 'odd' returned a value that is not JSON-serialisable: Encoding objects of type object is unsupported",
            True,
        ),
        (
            "c11",
            "tool 'odd' returned a value that is not JSON-serialisable: NaN and infinities are not JSON numbers",
            True,
        ),
        ("c12", "2026-12-07", False),
        ("c13", {"width": 2.0, "tags": ["a"]}, False),
        ("c14", "00000000-0000-0000-0000-000000000001", False),
        ("c15", "TimeoutError: the tool's own", True),
        ("c16", 2, False),  # keys the schema does not name are ignored
    ]
    assert rec.calls == [
        ("add", (2, 3)),
        ("double", 1.5),
        ("fail", "disk full"),
        *[("odd", kind) for kind in ("object", "nan", "date", "box", "uuid", "timeout")],
        ("add", (1, 1)),
    ]


def test_a_value_that_contains_itself_or_nests_too_deep_is_an_error_result(flavour: str, json_backend: str) -> None:
    cyclic: list[Any] = []
    cyclic.append(cyclic)
    deep: list[Any] = []
    for _ in range(100_000):
        deep = [deep]

    @tool
    def strange(kind: str) -> Any:
        """Return a value that is no JSON."""
        return cyclic if kind == "cyclic" else deep

    calls = [call("c1", "strange", {"kind": "cyclic"}), call("c2", "strange", {"kind": "deep"})]
    message = (
        "tool 'strange' returned a value that is not JSON-serialisable: "
        "it contains itself, or nests deeper than the interpreter's recursion limit"
    )
    assert answers(run(flavour, ToolRunner([strange]), calls)) == [("c1", message, True), ("c2", message, True)]


def test_a_replayed_event_runs_nothing_twice(flavour: str) -> None:
    rec = Recorder()
    runner = ToolRunner(rec.tools)
    calls = [call("c1", "add", {"a": 1}), call("c2", "double", {"x": 2}), call("c1", "add", {"a": 9})]
    first = run(flavour, runner, calls)
    assert answers(first) == [("c1", 2, False), ("c2", {"x": 4.0}, False)]  # one result per id, the first
    # Replayed before the results were accepted (a reconnect, a failed submission): the same answers, no run.
    assert answers(run(flavour, runner, list(reversed(calls)))) == [("c1", 2, False), ("c2", {"x": 4.0}, False)]
    assert first is not None
    runner.submitted(first)
    assert run(flavour, runner, calls) is None  # answered and accepted: nothing to do
    assert rec.calls == [("add", (1, 1)), ("double", 2.0)]
    # The next round has new ids: they run.
    assert answers(run(flavour, runner, [call("c3", "add", {"a": 5})])) == [("c3", 6, False)]
    assert len(rec.calls) == 3
    assert run(flavour, runner, []) is None


def test_outputs_too_large_for_one_submission_become_error_results_from_the_largest(flavour: str) -> None:
    """Coder refuses a tool-results body over 256 KiB (413), which would leave the chat waiting for
    answers to calls that ran: the largest outputs are replaced by an error result until the body fits,
    each tool still runs once, and a replay answers with what was submitted."""
    ran: list[int] = []

    @tool
    def dump(size: int) -> str:
        ran.append(size)
        return "é" * size  # written \u00e9 by json.dumps: 6 bytes a character at most

    runner = ToolRunner([dump])
    sixth = MAX_SUBMISSION_BYTES // 6
    calls = [call("c1", "dump", {"size": 10}), call("c2", "dump", {"size": sixth}), call("c3", "dump", {"size": 100})]
    calls += [call("c4", "dump", {"size": sixth // 2})]
    results = run(flavour, runner, calls)
    assert results is not None
    kept = [("c1", "é" * 10, False), ("c3", "é" * 100, False), ("c4", "é" * (sixth // 2), False)]
    assert [answers(results)[i] for i in (0, 2, 3)] == kept  # replacing the largest was enough
    replaced = results[1]
    assert replaced.tool_call_id == "c2" and replaced.is_error is True
    assert replaced.output == (
        f"the tool's output is {len(json.dumps(replaced.to_dict() | {'output': 'é' * sixth, 'is_error': False})):,} "
        "bytes of JSON: more than Coder takes in one submission of tool results (262,144 bytes for all the calls "
        "of a step)"
    )
    body = json.dumps({"results": [r.to_dict() for r in results]})
    assert len(body.encode()) <= MAX_SUBMISSION_BYTES
    assert answers(run(flavour, runner, calls)) == answers(results)  # a replay: the same answers, nothing run
    assert ran == [10, sixth, 100, sixth // 2]


def test_sync_tools_leave_the_event_loop_alone_and_async_tools_run_in_sync_code() -> None:
    rec = Recorder()

    async def main() -> list[ToolResult] | None:
        loop_thread = threading.get_ident()
        results = await arun_tool_calls(ToolRunner(rec.tools), [call("c1", "add", {"a": 1})])
        assert rec.threads[-1] != loop_thread  # asyncio.to_thread
        # Sync code called from async code: the async tool gets a private loop in a worker thread.
        inner = run_tool_calls(ToolRunner(rec.tools), [call("c2", "double", {"x": 1}), call("c3", "add", {"a": 2})])
        assert rec.threads[-1] == loop_thread  # a sync tool in sync code: the caller's thread
        assert answers(inner) == [("c2", {"x": 2.0}, False), ("c3", 3, False)]
        return results

    assert answers(asyncio.run(main())) == [("c1", 2, False)]
    run_tool_calls(ToolRunner(rec.tools), [call("c4", "add", {"a": 3})])
    assert rec.threads[-1] == threading.get_ident()


def test_deadline_before_a_call_starts_runs_nothing(flavour: str) -> None:
    rec = Recorder()
    runner = ToolRunner(rec.tools)
    with pytest.raises(TurnTimeoutError, match=r"before tool 'add' started; calls left unanswered: \['add'\]"):
        run(flavour, runner, [call("c1", "add", {"a": 1})], deadline=time.monotonic() - 1)
    assert rec.calls == []


def test_an_async_tool_running_at_the_deadline_is_cancelled_and_finished_calls_are_kept(flavour: str) -> None:
    cancelled: list[str] = []
    ran: list[str] = []

    @tool
    async def wait(seconds: float) -> str:
        try:
            await asyncio.sleep(seconds)
        except asyncio.CancelledError:
            cancelled.append("wait")
            raise
        return "done"

    @tool
    def quick() -> str:
        ran.append("quick")
        return "ok"

    runner = ToolRunner([quick, wait])
    calls = [call("c1", "quick", {}), call("c2", "wait", {"seconds": 30})]
    started = time.monotonic()
    with pytest.raises(TurnTimeoutError, match=r"while tool 'wait' ran; calls left unanswered: \['wait'\]"):
        run(flavour, runner, calls, deadline=started + 0.2)
    assert time.monotonic() - started < 5
    assert (ran, cancelled) == (["quick"], ["wait"])
    # Answering the same pending calls later reruns only the unfinished one.
    results = run(flavour, runner, [call("c1", "quick", {}), call("c2", "wait", {"seconds": 0})])
    assert answers(results) == [("c1", "ok", False), ("c2", "done", False)]
    assert ran == ["quick"]


def test_a_sync_tool_past_the_deadline_ends_the_batch_after_it_returns(flavour: str) -> None:
    ran: list[str] = []

    @tool
    def slow() -> str:
        time.sleep(0.3)
        ran.append("slow")
        return "late"

    runner = ToolRunner([slow])
    if flavour == "sync":  # a sync tool cannot be interrupted: the batch waits for it, then ends
        with pytest.raises(TurnTimeoutError, match=r"after the tools ran; calls left unanswered: none"):
            run(flavour, runner, [call("c1", "slow", {})], deadline=time.monotonic() + 0.1)
        assert ran == ["slow"]
    else:  # async code stops waiting for its thread at the deadline
        with pytest.raises(TurnTimeoutError, match=r"while tool 'slow' ran; calls left unanswered: \['slow'\]"):
            run(flavour, runner, [call("c1", "slow", {})], deadline=time.monotonic() + 0.1)


def test_positional_only_parameters_and_the_public_surface(flavour: str) -> None:
    @tool
    def power(base: int, /, exponent: int = 2) -> int:
        return int(base**exponent)

    assert power.input_schema["required"] == ["base"]
    results = run(
        flavour, ToolRunner([power]), [call("c1", "power", {"base": 3}), call("c2", "power", {"exponent": 3})]
    )
    assert answers(results) == [
        ("c1", 9, False),
        ("c2", "invalid parameters: Object missing required field `base`", True),
    ]
    public = {name for name in dir(Tool) if not name.startswith("_")}
    assert public == {"description", "fn", "input_schema", "is_async", "name", "to_dynamic_tool"}
    assert (
        repr(power) == "Tool(name='power', fn='test_positional_only_parameters_and_the_public_surface.<locals>.power')"
    )


def test_runner_refuses_what_coder_refuses() -> None:
    @tool
    def a() -> None:
        pass

    with pytest.raises(ValueError, match="two tools are named 'a'"):
        ToolRunner([a, Tool(name="a", input_schema={"type": "object"}, fn=print)])
    many = [Tool(name=f"t{i}", input_schema={"type": "object"}, fn=print) for i in range(251)]
    with pytest.raises(ValueError, match="251 tools; Coder accepts at most 250"):
        ToolRunner(many)
    assert len(ToolRunner(many[:250]).dynamic_tools()) == 250
    with pytest.raises(TypeError, match=r"must be Tool objects \(made with @tool or Tool\(...\)\), not function"):
        ToolRunner([test_runner_refuses_what_coder_refuses])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="v2 chat API") as info:
        require_v2(ApiGeneration.EXPERIMENTAL)
    assert str(info.value) == V2_ONLY
    require_v2(ApiGeneration.V2)


def test_explicit_schema_tools_pass_keyword_arguments(flavour: str) -> None:
    seen: list[dict[str, Any]] = []

    def lookup(ticket: int, verbose: bool = False) -> dict[str, Any]:
        seen.append({"ticket": ticket, "verbose": verbose})
        return {"ticket": ticket}

    schema = {"type": "object", "properties": {"ticket": {"type": "integer"}}, "required": ["ticket"]}
    explicit = Tool(name="lookup", description="Find a ticket.", input_schema=schema, fn=lookup)
    assert explicit.to_dynamic_tool().to_dict() == {
        "name": "lookup",
        "description": "Find a ticket.",
        "input_schema": schema,
    }
    calls = [
        call("c1", "lookup", {"ticket": 7, "verbose": True}),
        call("c2", "lookup", "[1]"),
        call("c3", "lookup", "{"),
        call("c4", "lookup", {}),
        call("c5", "lookup", {"ticket": 1, "colour": "red"}),
    ]
    results = answers(run(flavour, ToolRunner([explicit]), calls))
    assert results[0] == ("c1", {"ticket": 7}, False)
    assert results[1] == ("c2", "invalid parameters: expected a JSON object, got an array", True)
    assert results[2][0] == "c3" and results[2][1].startswith("invalid parameters: not JSON: ") and results[2][2]
    assert results[3] == ("c4", "invalid parameters: missing a required argument: 'ticket'", True)
    assert results[4] == ("c5", "invalid parameters: got an unexpected keyword argument 'colour'", True)
    assert seen == [{"ticket": 7, "verbose": True}]
    # A callable without a signature gets the arguments as keywords.
    builtin = Tool(name="format", input_schema={"type": "object"}, fn=dict)
    assert answers(run(flavour, ToolRunner([builtin]), [call("c1", "format", {"a": 1})])) == [("c1", {"a": 1}, False)]
