"""Dynamic tools end to end at the HTTP and websocket level (API-v2.md §3.1, §3.10, §4.4, §5):
`unsafe_dynamic_tools`, `requires_action` with `action_required`, `POST /tool-results`."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import websocket

from tests.fakecoder import DynamicCall, FakeCoder, Script

from .conftest import V2, bare_events, finish, kinds, open_v2_stream, read_bare_until, text, v2_create

WEATHER = {"name": "get_weather", "description": "Weather of a city.", "input_schema": {"type": "object"}}
CLOCK = {"name": "get_time", "input_schema": {"type": "object", "properties": {"tz": {"type": "string"}}}}
CALLS = (
    DynamicCall("get_weather", {"city": "Paris"}),
    DynamicCall("get_time", {"tz": "UTC"}),
    DynamicCall("launch_rockets", {}),  # declared nowhere: the client has no implementation
    DynamicCall("get_weather", '{"city": 42'),  # arguments that are not even JSON
)


def tool_chat(c: httpx.Client, fake: FakeCoder, calls: tuple[DynamicCall, ...] = CALLS, **script: Any) -> str:
    fake.script = Script(text_deltas=2, dynamic_calls=calls, **script)
    chat = v2_create(c, fake, "use your tools", unsafe_dynamic_tools=[WEATHER, CLOCK])["id"]
    assert fake.wait_idle(chat) == "requires_action"
    return str(chat)


def pending(c: httpx.Client, fake: FakeCoder, chat: str) -> list[dict[str, Any]]:
    ws = open_v2_stream(fake, chat)
    sync = bare_events(ws)
    finish(ws)
    assert kinds(sync)[-3:] == ["status", "action_required", "preview_reset"]
    return list(sync[-2]["action_required"]["tool_calls"])


def test_several_calls_stop_in_requires_action_and_results_resume(v2fake: FakeCoder, v2admin: httpx.Client) -> None:
    watch = websocket.create_connection(
        f"{v2fake.ws_url}{V2}/watch", header=[f"Coder-Session-Token: {v2fake.admin_token}"], timeout=3
    )
    chat = tool_chat(v2admin, v2fake)
    calls = pending(v2admin, v2fake, chat)
    assert [(c["tool_name"], c["args"]) for c in calls] == [
        ("get_weather", '{"city":"Paris"}'),
        ("get_time", '{"tz":"UTC"}'),
        ("launch_rockets", "{}"),
        ("get_weather", '{"city": 42'),
    ]
    assert len({c["tool_call_id"] for c in calls}) == 4
    events = [json.loads(watch.recv()) for _ in range(3)]
    assert [e["kind"] for e in events] == ["created", "status_change", "action_required"]
    assert events[2]["tool_calls"] == calls and events[2]["chat"]["status"] == "requires_action"
    finish(watch)

    ws = open_v2_stream(v2fake, chat)
    bare_events(ws)
    outputs: list[Any] = [{"temp_c": 21}, "12:00", "no such tool", "invalid parameters: unexpected EOF"]
    results = [
        {"tool_call_id": c["tool_call_id"], "output": out, "is_error": i >= 2}
        for i, (c, out) in enumerate(zip(calls, outputs, strict=True))
    ]
    r = v2admin.post(f"{V2}/{chat}/tool-results", json={"results": results})
    assert (r.status_code, r.content) == (204, b"")
    live = read_bare_until(ws, lambda ev: any(e["type"] == "status" and e["status"]["status"] == "waiting" for e in ev))
    assert kinds(live)[:3] == ["message", "status", "preview_reset"]
    tool_message = live[0]["message"]
    assert tool_message["role"] == "tool"
    assert [(p["type"], p["tool_call_id"], p["result"], p.get("is_error", False)) for p in tool_message["content"]] == [
        ("tool-result", c["tool_call_id"], out, i >= 2) for i, (c, out) in enumerate(zip(calls, outputs, strict=True))
    ]
    answer = [e for e in live if e["type"] == "message"][-1]["message"]
    expected = Script.after_tools_text(
        [{**r, "tool_name": c["tool_name"]} for r, c in zip(results, calls, strict=True)]
    )
    assert answer["role"] == "assistant" and answer["content"][0]["text"] == expected
    finish(ws)


def test_reconnect_while_waiting_replays_action_required(v2fake: FakeCoder, v2admin: httpx.Client) -> None:
    chat = tool_chat(v2admin, v2fake, calls=CALLS[:1])
    first = pending(v2admin, v2fake, chat)
    newest = max(m["id"] for m in v2admin.get(f"{V2}/{chat}/messages").json()["messages"])
    ws = open_v2_stream(v2fake, chat, query=f"?after_id={newest}")
    sync = bare_events(ws)
    assert kinds(sync) == ["status", "action_required", "preview_reset"]  # no message again
    assert sync[1]["action_required"]["tool_calls"] == first
    finish(ws)


def test_rounds_and_interrupt_cancel_pending_calls(v2fake: FakeCoder, v2admin: httpx.Client) -> None:
    chat = tool_chat(v2admin, v2fake, calls=CALLS[:1], dynamic_rounds=2)
    call = pending(v2admin, v2fake, chat)[0]
    answer = {"results": [{"tool_call_id": call["tool_call_id"], "output": {"ok": True}, "is_error": False}]}
    assert v2admin.post(f"{V2}/{chat}/tool-results", json=answer).status_code == 204
    assert v2fake.wait_idle(chat) == "requires_action"  # the second round
    second = pending(v2admin, v2fake, chat)[0]
    assert second["tool_call_id"] != call["tool_call_id"]
    interrupted = v2admin.post(f"{V2}/{chat}/interrupt")
    assert interrupted.status_code == 200 and interrupted.json()["status"] == "running"  # A0 -> R0
    assert v2fake.wait_idle(chat) == "waiting"
    messages = v2admin.get(f"{V2}/{chat}/messages").json()["messages"]
    cancelled = next(
        m for m in messages if m["role"] == "tool" and m["content"][0]["tool_call_id"] == second["tool_call_id"]
    )
    assert cancelled["content"][0]["is_error"] is True
    assert cancelled["content"][0]["result"] == {"error": "Tool execution interrupted by user message"}


def test_tool_result_errors(v2fake: FakeCoder, v2admin: httpx.Client) -> None:
    idle = v2_create(v2admin, v2fake, "no tools")["id"]
    v2fake.wait_idle(idle)
    one = [{"tool_call_id": "call_1", "output": {}, "is_error": False}]
    r = v2admin.post(f"{V2}/{idle}/tool-results", json={"results": one})
    assert (r.status_code, r.json()) == (
        409,
        {
            "message": "Chat is not waiting for tool results.",
            "detail": 'chat status is "waiting", expected "requires_action"',
        },
    )
    chat = tool_chat(v2admin, v2fake, calls=CALLS[:2])
    first, second = (c["tool_call_id"] for c in pending(v2admin, v2fake, chat))
    cases: list[tuple[list[dict[str, Any]], str, str | None]] = [
        ([], "At least one tool result is required.", None),
        (
            [{"tool_call_id": first, "output": 1}, {"tool_call_id": first, "output": 2}],
            "Duplicate tool_call_id in results.",
            f'Duplicate tool call ID "{first}".',
        ),
        (
            [{"tool_call_id": first}, {"tool_call_id": second, "output": 2}],
            "Tool result output must be valid JSON.",
            f'Output for tool call "{first}" is not valid JSON.',
        ),
        ([{"tool_call_id": first, "output": 1}], "Missing tool result.", f'Missing result for tool call "{second}".'),
        (
            [
                {"tool_call_id": first, "output": 1},
                {"tool_call_id": second, "output": 2},
                {"tool_call_id": "x", "output": 3},
            ],
            "Unexpected tool result.",
            'No pending tool call with ID "x".',
        ),
    ]
    for results, message, detail in cases:
        r = v2admin.post(f"{V2}/{chat}/tool-results", json={"results": results})
        expected: dict[str, str] = {"message": message} | ({"detail": detail} if detail else {})
        assert (r.status_code, r.json()) == (400, expected)
    assert v2admin.get(f"{V2}/{chat}").json()["status"] == "requires_action"  # nothing was taken


@pytest.mark.parametrize(
    ("tools", "body"),
    [
        ([{"name": ""}], {"message": "Dynamic tool name must not be empty."}),
        (
            [WEATHER, WEATHER],
            {"message": "Duplicate dynamic tool name.", "detail": 'Tool "get_weather" appears more than once.'},
        ),
        (
            [{"name": f"t{i}"} for i in range(251)],
            {"message": "Too many dynamic tools.", "detail": "Maximum 250 dynamic tools per chat."},
        ),
    ],
    ids=["empty-name", "duplicate", "too-many"],
)
def test_create_rejects_bad_dynamic_tools(
    v2fake: FakeCoder, v2admin: httpx.Client, tools: list[dict[str, Any]], body: dict[str, str]
) -> None:
    r = v2admin.post(V2, json={"organization_id": v2fake.organization_id, **text("x"), "unsafe_dynamic_tools": tools})
    assert (r.status_code, r.json()) == (400, body)
    assert v2admin.get(V2).json() == []
