"""The in-process parse benchmarks, CPU time against ``json.loads`` of the same bytes (targets fast / plain):

* decode: ``decode_frame`` over a recorded stream vs ``json.loads`` of the same frames: time ≤ 2× / ≤ 3×
* big-chat: a 5,000-message ``ChatWithMessages`` parsed as ``get_chat`` parses it vs ``json.loads``: ≤ 3× / ≤ 4×
"""

from __future__ import annotations

import json
from uuid import UUID

from bench import data
from bench.cases import ALL_CASES, SIZES, TARGETS, Case, by_data_set, data_note, installed, result_name
from bench.harness import Result, paired_rounds, timed


def bench_decode(quick: bool, rounds: int | None = None, cases: list[Case] = ALL_CASES) -> list[Result]:
    events, default_rounds = SIZES["decode"].pick(quick)
    rounds = rounds or default_rounds
    results = []
    for data_set, installs in by_data_set(cases).items():
        frames = data.stream_frames(events, data=data_set)
        for install in installs:
            with installed(install):
                results.append(_decode_case(frames, events, rounds, data_set, install))
    return results


def _decode_case(frames: list[str], events: int, rounds: int, data_set: str, install: str) -> Result:
    from coder_chat.streaming import decode_frame

    chat_id = UUID(data.CHAT_ID)
    loads = json.loads

    def baseline() -> None:
        for frame in frames:
            loads(frame)

    def client() -> None:
        for frame in frames:
            decode_frame(frame, chat_id=chat_id)

    decoded = sum(len(decode_frame(frame, chat_id=chat_id)) for frame in frames)  # warm-up, and a check
    assert decoded == events, f"decode_frame gave {decoded} of {events} events"
    baseline()  # warm-up of the other side too (the first pass over the frames also grows the heap)
    base, mine = paired_rounds(rounds, lambda: timed(baseline), lambda: timed(client))
    return Result(
        name=result_name("decode", data_set, install),
        benchmark="decode",
        data=data_set,
        install=install,
        what=(
            f"decode_frame over {events:,} events ({data_note(data_set)}) in {len(frames):,} frames (≤256 events each)"
        ),
        baseline="json.loads of the same frames",
        metric="CPU time / baseline CPU time",
        target=TARGETS["decode"][install],
        ratios=[c / b for b, c in zip(base, mine, strict=True)],
        client=[events / c / 1e3 for c in mine],
        reference=[events / b / 1e3 for b in base],
        unit="k events/s",
        details={
            "events": events,
            "frames": len(frames),
            "bytes": sum(len(frame.encode()) for frame in frames),
            "event_mix": data.count_kinds(frames),
        },
    )


def bench_big_chat(quick: bool, rounds: int | None = None, cases: list[Case] = ALL_CASES) -> list[Result]:
    messages, default_rounds = SIZES["big-chat"].pick(quick)
    rounds = rounds or default_rounds
    results = []
    for data_set, installs in by_data_set(cases).items():
        body = data.dumps(data.chat_with_messages(messages, data=data_set)).encode()
        for install in installs:
            with installed(install):
                results.append(_big_chat_case(body, messages, rounds, data_set, install))
    return results


def _big_chat_case(body: bytes, messages: int, rounds: int, data_set: str, install: str) -> Result:
    import httpx

    from coder_chat.client.models import ChatWithMessages
    from coder_chat.client.types import json_body

    loads = json.loads
    response = httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    def client() -> None:
        ChatWithMessages.from_dict(json_body(response))  # what get_chat does with a 200 answer

    loads(body)  # warm-up of both sides
    parsed = ChatWithMessages.from_dict(json_body(response))
    assert len(parsed.messages) == messages
    parts = sum(len(message.content) for message in parsed.messages if isinstance(message.content, list))
    del parsed
    base, mine = paired_rounds(rounds, lambda: timed(lambda: loads(body)), lambda: timed(client))
    return Result(
        name=result_name("big-chat", data_set, install),
        benchmark="big-chat",
        data=data_set,
        install=install,
        what=(
            f"ChatWithMessages.from_dict(json_body(response)), as get_chat parses: {messages:,} messages "
            f"({data_note(data_set)}), {parts:,} parts, {len(body) / 1e6:.1f} MB"
        ),
        baseline="json.loads of the same body",
        metric="CPU time / baseline CPU time",
        target=TARGETS["big-chat"][install],
        ratios=[c / b for b, c in zip(base, mine, strict=True)],
        client=[c * 1e3 for c in mine],
        reference=[b * 1e3 for b in base],
        unit="ms",
        details={"messages": messages, "parts": parts, "body_bytes": len(body)},
    )
