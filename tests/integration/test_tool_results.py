"""Client-side tools against the fake Coder over real sockets: a chat declares ``@tool`` functions, stops in
``requires_action``, the runner answers every call and ``submit_tool_results`` / ``asubmit_tool_results``
send them in one request; a reconnect's replayed ``action_required`` runs nothing twice; an
experimental-generation server gets ``ValueError`` before any request but the generation probe."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import websocket

from coder_chat.client import AuthenticatedClient
from coder_chat.client.api.v2 import create_chat, get_chat, list_chat_messages
from coder_chat.client.errors import BadRequestError, ConflictError
from coder_chat.client.models import (
    ChatInputPart,
    ChatStatus,
    ChatStreamActionRequired,
    ChatStreamEvent,
    ChatStreamToolCall,
    CreateChatRequest,
    ToolResult,
)
from coder_chat.streaming import Tool, asubmit_tool_results, submit_tool_results, tool
from coder_chat.streaming._turns.toolio import arun_tool_calls, run_tool_calls
from coder_chat.streaming._turns.toolrunner import V2_ONLY, ToolRunner
from tests.fakecoder import DynamicCall, FakeCoder, Script
from tests.integration.conftest import SPEC

pytestmark = pytest.mark.timeout(60)

CALLS = (
    DynamicCall("read_note", {"name": "todo"}),
    DynamicCall("convert", {"celsius": 21.5}),
    DynamicCall("launch_rockets", {}),  # declared by nobody: the runner has no implementation
    DynamicCall("convert", '{"celsius": "hot"}'),  # does not fit the schema
)


class Tools:
    """One sync and one async tool that count their calls."""

    def __init__(self) -> None:
        self.ran: list[str] = []

        @tool
        def read_note(name: str) -> dict[str, str]:
            """Read a note by its name."""
            self.ran.append(f"read_note {name}")
            return {"name": name, "text": "buy milk"}

        @tool
        async def convert(celsius: float) -> float:
            """Celsius to Fahrenheit."""
            self.ran.append(f"convert {celsius}")
            await asyncio.sleep(0)
            return celsius * 9 / 5 + 32

        self.runner = ToolRunner([read_note, convert])


@pytest.fixture
def v2fake() -> Iterator[FakeCoder]:
    with FakeCoder(generation="current", validate_spec_path=SPEC, script=Script(text_deltas=1)) as server:
        yield server
    assert server.spec_violations == []


def new_tool_chat(client: AuthenticatedClient, fake: FakeCoder, runner: ToolRunner, **script: Any) -> str:
    fake.script = Script(text_deltas=1, dynamic_calls=script.pop("calls", CALLS), **script)
    body = CreateChatRequest(
        organization_id=fake.organization_id,
        content=[ChatInputPart(type_="text", text="use your tools")],
        unsafe_dynamic_tools=runner.dynamic_tools(),
    )
    chat_id = str(create_chat.sync(client=client, body=body).id)
    assert fake.wait_idle(chat_id) == "requires_action"
    return chat_id


def pending_calls(fake: FakeCoder, chat_id: str) -> list[ChatStreamToolCall]:
    """A fresh stream connection's ``action_required`` (its initial sync), read as the client's model."""
    ws = websocket.create_connection(
        f"{fake.ws_url}/api/v2/chats/{chat_id}/stream", header=[f"Coder-Session-Token: {fake.admin_token}"], timeout=5
    )
    try:
        frame = ws.recv()
    finally:
        ws.close(timeout=1)
        ws.shutdown()  # type: ignore[no-untyped-call]  # websocket-client skips it when the server closed first
    events = [ChatStreamEvent.from_dict(e) for e in json.loads(frame)]
    (required,) = [e.action_required for e in events if e.type_ == "action_required"]
    assert isinstance(required, ChatStreamActionRequired)
    return list(required.tool_calls)


EXPECTED_OUTPUTS = [
    ({"name": "todo", "text": "buy milk"}, False),
    (21.5 * 9 / 5 + 32, False),
    (
        "unknown tool 'launch_rockets': this client has no implementation of it (its tools: 'read_note', 'convert')",
        True,
    ),
    ("invalid parameters: Expected `float`, got `str` - at `$.celsius`", True),
]


def check_answered(client: AuthenticatedClient, fake: FakeCoder, chat_id: str, calls: list[ChatStreamToolCall]) -> None:
    """The chat ran on to rest; its tool message holds each result, in order; the reply names them."""
    assert fake.wait_idle(chat_id) == "waiting"
    messages = list_chat_messages.sync(chat_id, client=client, limit=200).messages
    (tool_message,) = [m.to_dict() for m in messages if m.role == "tool"]
    assert [(p["tool_call_id"], p["result"], p.get("is_error", False)) for p in tool_message["content"]] == [
        (c.tool_call_id, output, is_error) for c, (output, is_error) in zip(calls, EXPECTED_OUTPUTS, strict=True)
    ]
    expected_reply = Script.after_tools_text(
        [
            {"tool_name": c.tool_name, "output": output, "is_error": is_error}
            for c, (output, is_error) in zip(calls, EXPECTED_OUTPUTS, strict=True)
        ]
    )
    (reply,) = [m.to_dict() for m in messages if m.role == "assistant" and m.id > tool_message["id"]]
    assert reply["content"][0]["text"] == expected_reply


def test_declared_tools_run_and_every_result_goes_in_one_request(v2fake: FakeCoder) -> None:
    tools = Tools()
    posts: list[str] = []
    with AuthenticatedClient(base_url=v2fake.url, token=v2fake.admin_token) as client:
        client.get_httpx_client().event_hooks["request"].append(
            lambda r: posts.append(r.url.path) if r.method == "POST" else None
        )
        chat_id = new_tool_chat(client, v2fake, tools.runner)
        # What the chat declared is each tool's schema, as the tool checks its arguments.
        declared = v2fake.state.chats[chat_id].dynamic_tools
        assert declared == [t.to_dynamic_tool().to_dict() for t in tools.runner.tools.values()]
        assert declared[1] == {
            "name": "convert",
            "description": "Celsius to Fahrenheit.",
            "input_schema": {
                "type": "object",
                "properties": {"celsius": {"type": "number"}},
                "required": ["celsius"],
            },
        }
        first = pending_calls(v2fake, chat_id)
        replayed = pending_calls(v2fake, chat_id)  # a reconnect while the chat waits: the same calls again
        assert [(c.tool_name, c.args) for c in first] == [(c.name, c.args_json()) for c in CALLS]
        results = run_tool_calls(tools.runner, first)
        assert results is not None
        submit_tool_results(client, chat_id, results)
        tools.runner.submitted(results)
        assert run_tool_calls(tools.runner, replayed) is None  # nothing runs, nothing is sent twice
        check_answered(client, v2fake, chat_id, first)
    assert tools.ran == ["read_note todo", "convert 21.5"]
    assert posts == ["/api/v2/chats", f"/api/v2/chats/{chat_id}/tool-results"]


def test_async_runner_and_submission(v2fake: FakeCoder) -> None:
    tools = Tools()
    with AuthenticatedClient(base_url=v2fake.url, token=v2fake.admin_token) as client:
        chat_id = new_tool_chat(client, v2fake, tools.runner)
    calls = pending_calls(v2fake, chat_id)

    async def main() -> None:
        async with AuthenticatedClient(base_url=v2fake.url, token=v2fake.admin_token) as client:
            results = await arun_tool_calls(tools.runner, calls)
            assert results is not None
            await asubmit_tool_results(client, chat_id, results)
            tools.runner.submitted(results)
            assert await arun_tool_calls(tools.runner, calls) is None

    asyncio.run(main())
    with AuthenticatedClient(base_url=v2fake.url, token=v2fake.admin_token) as client:
        check_answered(client, v2fake, chat_id, calls)
    assert tools.ran == ["read_note todo", "convert 21.5"]


def test_a_lost_submission_is_answered_again_without_running_the_tools(v2fake: FakeCoder) -> None:
    tools = Tools()
    with AuthenticatedClient(base_url=v2fake.url, token=v2fake.admin_token) as client:
        chat_id = new_tool_chat(client, v2fake, tools.runner, calls=CALLS[:2], dynamic_rounds=2)
        calls = pending_calls(v2fake, chat_id)
        assert run_tool_calls(tools.runner, calls) is not None  # ran, but the submission never happened
        again = run_tool_calls(tools.runner, pending_calls(v2fake, chat_id))  # reconnected: still pending
        assert again is not None and [r.output for r in again] == [EXPECTED_OUTPUTS[0][0], EXPECTED_OUTPUTS[1][0]]
        submit_tool_results(client, chat_id, again)
        tools.runner.submitted(again)
        assert v2fake.wait_idle(chat_id) == "requires_action"  # the second round: new ids, run again
        second = run_tool_calls(tools.runner, pending_calls(v2fake, chat_id))
        assert second is not None
        submit_tool_results(client, chat_id, second)
        assert v2fake.wait_idle(chat_id) == "waiting"
        # Answering a chat that no longer waits: the server's 409, typed.
        with pytest.raises(ConflictError, match="Chat is not waiting for tool results"):
            submit_tool_results(client, chat_id, second)
    assert tools.ran == ["read_note todo", "convert 21.5"] * 2


def test_the_server_checks_results_match_the_pending_calls(v2fake: FakeCoder) -> None:
    tools = Tools()
    with AuthenticatedClient(base_url=v2fake.url, token=v2fake.admin_token) as client:
        chat_id = new_tool_chat(client, v2fake, tools.runner, calls=CALLS[:2])
        first = pending_calls(v2fake, chat_id)[0]
        with pytest.raises(BadRequestError, match="Missing tool result"):
            submit_tool_results(client, chat_id, [ToolResult(tool_call_id=first.tool_call_id, output="x")])
        assert get_chat.sync(chat_id, client=client).status is ChatStatus.REQUIRES_ACTION


class RequestLog:
    """Every request a client sends, as ``METHOD path?query`` (an httpx request hook)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, request: httpx.Request) -> None:
        query = f"?{request.url.query.decode()}" if request.url.query else ""
        self.lines.append(f"{request.method} {request.url.path}{query}")

    async def hook(self, request: httpx.Request) -> None:
        self(request)


ONE = [ToolResult(tool_call_id="call_1", output={"ok": True})]


@pytest.mark.parametrize("api_generation", ["auto", "experimental"])
def test_an_experimental_server_gets_value_error_before_anything_is_sent(api_generation: str) -> None:
    probe = [] if api_generation == "experimental" else ["GET /api/v2/chats?limit=1"]
    with FakeCoder() as fake:  # the experimental generation: /api/v2/chats answers 404
        chat_id = fake.create_chat("hello")
        log = RequestLog()
        with AuthenticatedClient(base_url=fake.url, token=fake.admin_token, api_generation=api_generation) as client:
            client.get_httpx_client().event_hooks["request"].append(log)
            with pytest.raises(ValueError, match="need Coder's v2 chat API") as info:
                submit_tool_results(client, chat_id, ONE)
            assert str(info.value) == V2_ONLY
            assert log.lines == probe

            async def main() -> None:
                client.get_async_httpx_client().event_hooks["request"].append(log.hook)
                try:
                    with pytest.raises(ValueError, match="need Coder's v2 chat API"):
                        await asubmit_tool_results(client, chat_id, ONE)
                finally:
                    await client.aclose()

            asyncio.run(main())
            assert log.lines == probe  # the probe's answer is cached: the async call sent nothing


def test_bad_results_are_refused_before_any_request(v2fake: FakeCoder) -> None:
    log = RequestLog()
    with AuthenticatedClient(base_url=v2fake.url, token=v2fake.admin_token) as client:
        client.get_httpx_client().event_hooks["request"].append(log)
        with pytest.raises(TypeError, match=r"results\[0\] is a dict, not a ToolResult"):
            submit_tool_results(client, "x", [{"tool_call_id": "c", "output": 1}])  # type: ignore[list-item]
        with pytest.raises(TypeError, match="results must be a sequence of ToolResult models, not ToolResult"):
            submit_tool_results(client, "x", ONE[0])  # type: ignore[arg-type]
        nan = ToolResult(tool_call_id="c9", output={"t": float("nan")})
        with pytest.raises(ValueError, match=r"results\[1\] \(tool_call_id 'c9'\): output is not a JSON value"):
            submit_tool_results(client, "x", [ONE[0], nan])
    assert log.lines == []


def test_an_explicit_schema_tool_end_to_end(v2fake: FakeCoder) -> None:
    schema = {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
    notes = {"todo": "buy milk"}
    explicit = Tool(name="read_note", description="Read a note.", input_schema=schema, fn=lambda name: notes[name])
    runner = ToolRunner([explicit])
    calls = (DynamicCall("read_note", {"name": "todo"}), DynamicCall("read_note", {"name": "nope"}))
    with AuthenticatedClient(base_url=v2fake.url, token=v2fake.admin_token) as client:
        chat_id = new_tool_chat(client, v2fake, runner, calls=calls)
        assert v2fake.state.chats[chat_id].dynamic_tools == [
            {"name": "read_note", "description": "Read a note.", "input_schema": schema}
        ]
        results = run_tool_calls(runner, pending_calls(v2fake, chat_id))
        assert results is not None
        assert [(r.output, r.is_error) for r in results] == [("buy milk", False), ("KeyError: 'nope'", True)]
        submit_tool_results(client, chat_id, results)
        assert v2fake.wait_idle(chat_id) == "waiting"
