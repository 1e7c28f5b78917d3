"""The stream benchmarks: events/s through ``stream_chat`` / ``astream_chat`` against a raw websocket loop
on the same loopback server (targets fast / plain):

* stream: events/s through ``stream_chat`` vs a websocket-client ``recv()`` + ``json.loads`` loop,
  same loopback server: ≥ 0.6× / ≥ 0.4×
* stream-floor: the same ``stream_chat`` rounds vs the typed floor (the raw loop + building each part
  event's models): ≥ 0.8× / none
* astream: events/s through ``astream_chat`` vs a ``websockets`` ``recv()`` + ``json.loads`` loop: ≥ 0.6× / ≥ 0.4×
"""

from __future__ import annotations

import asyncio
import gc
import json
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from bench import data
from bench.cases import (
    ALL_CASES,
    SIZES,
    TARGETS,
    TOKEN,
    Case,
    by_data_set,
    collected,
    data_note,
    installed,
    result_name,
)
from bench.harness import Result
from bench.servers import ServerProcess


def ws_server(events: int, data_set: str) -> ServerProcess:
    return ServerProcess("ws", "--events", str(events), "--full", "--data", data_set)


def raw_ws_loop(ws_url: str, counted: Callable[[str | bytes], int]) -> tuple[int, float]:
    """The raw loop a user could write: websocket-client ``recv()`` until the server closes, each message
    handed to ``counted`` (which returns what it counted in it); the total and the seconds, from connect."""
    import websocket

    # UTF-8 is checked the way the client checks it (in C, by str decoding): websocket-client's
    # own validator is pure Python and would slow this side down many times over.
    start = time.perf_counter()
    ws = websocket.create_connection(
        ws_url, header={"Coder-Session-Token": TOKEN}, skip_utf8_validation=True, suppress_origin=True
    )
    count = 0
    try:
        while True:
            message = ws.recv()
            if not message:
                break
            count += counted(message)
    except websocket.WebSocketConnectionClosedException:
        pass
    finally:
        ws.close()
    return count, time.perf_counter() - start


def bench_stream(quick: bool, rounds: int | None = None, cases: list[Case] = ALL_CASES) -> list[Result]:
    events, default_rounds = SIZES["stream"].pick(quick)
    rounds = rounds or default_rounds
    results = []
    for data_set, installs in by_data_set(cases).items():
        with ws_server(events, data_set) as server:
            for install in installs:
                with installed(install):
                    results += _stream_case(server, events, rounds, data_set, install)
    return results


def _stream_case(server: ServerProcess, events: int, rounds: int, data_set: str, install: str) -> list[Result]:
    from coder_chat.client import AuthenticatedClient
    from coder_chat.client.models import (
        ChatMessagePart,
        ChatMessagePartType,
        ChatStreamEvent,
        ChatStreamEventType,
        ChatStreamMessagePart,
    )
    from coder_chat.streaming import StreamDisconnectedError, stream_chat

    delivered: list[int] = []
    ws_url = f"ws://127.0.0.1:{server.port}/api/experimental/chats/{data.CHAT_ID}/stream"
    client = AuthenticatedClient(base_url=server.url, token=TOKEN, api_generation="experimental")

    def raw_loop(events_in: Callable[[str | bytes], int]) -> float:
        """Events/s of the raw loop handing each message to ``events_in`` (which returns how many events
        the message held)."""
        count, elapsed = raw_ws_loop(ws_url, events_in)
        assert count == events, f"raw loop received {count} of {events} events"
        return events / elapsed

    def baseline() -> float:
        # The raw loop a user could write.
        return raw_loop(lambda message: len(json.loads(message)["data"]))

    def mine() -> float:
        start = time.perf_counter()
        count = 0
        stream = stream_chat(client, data.CHAT_ID, reconnect=False)
        try:
            for _event in stream:
                count += 1
        except StreamDisconnectedError:  # the server's close frame ends the run
            pass
        finally:
            stream.close()
        elapsed = time.perf_counter() - start
        # All but the few repeated statuses/queues that exactly-once delivery drops: a stream that
        # ended early would make the rate meaningless.
        assert count >= 0.99 * events, f"stream_chat delivered {count} of {events} events"
        delivered.append(count)
        return events / elapsed

    chat_uuid = UUID(data.CHAT_ID)
    part_types = {member.value: member for member in ChatMessagePartType}
    part_event_type = ChatStreamEventType.MESSAGE_PART
    parse = fastest_json_parser(install)

    def typed_events_in(message: str | bytes) -> int:
        batch = parse(message)["data"]
        for raw in batch:
            if raw["type"] == "message_part":
                part = raw["message_part"]["part"]
                part["type_"] = part_types[part.pop("type")]
                # as the library builds a part: from the fields it sets (its wire names are its attributes)
                ChatStreamEvent(
                    part_event_type,
                    chat_uuid,
                    message_part=ChatStreamMessagePart(ChatMessagePart._from_fields(part), "assistant"),
                )
        return len(batch)

    def floor() -> float:
        # Not a client: the least work any client yielding this API's typed events does. The raw
        # loop, parsing with msgspec in the fast case (as stream_chat does), plus the three models of
        # each message_part event, with every field the part has; no checks, no other events, no
        # exactly-once.
        return raw_loop(typed_events_in)

    mine()  # warm-up: imports, first connection
    baseline()
    floor()
    base: list[float] = []
    ours: list[float] = []
    floors: list[float] = []
    sides = [(baseline, base), (mine, ours), (floor, floors)]
    for index in range(rounds):  # each round runs the three sides, each in turn first
        for offset in range(3):
            run, figures = sides[(index + offset) % 3]
            figures.append(collected(run))
    client.close()

    what = (
        f"events/s through stream_chat: {events:,} events ({data_note(data_set)}) pushed in 256-event "
        "frames over loopback"
    )
    common: dict[str, Any] = {"benchmark": "stream", "data": data_set, "install": install, "unit": "k events/s"}
    details = {
        "events": events,
        # Consecutive equal statuses/queues are delivered once (docs/protocol.md): a few events fewer.
        "events_delivered": delivered[-1],
        "typed_floor_ratio": statistics.median(f / b for b, f in zip(base, floors, strict=True)),
    }
    return [
        Result(
            name=result_name("stream", data_set, install),
            what=what,
            baseline="websocket-client recv() + json.loads, same server",
            metric="rate / baseline rate",
            target=TARGETS["stream"][install],
            ratios=[c / b for b, c in zip(base, ours, strict=True)],
            client=[c / 1e3 for c in ours],
            reference=[b / 1e3 for b in base],
            details=details,
            note=(
                "typed floor (raw loop + only building each message_part event's three models, no checks, "
                "no exactly-once): {typed_floor_ratio:.2f}× the baseline rate"
            ),
            **common,
        ),
        Result(
            name=result_name("stream-floor", data_set, install),
            what="the same stream_chat rounds, as a share of the typed floor",
            baseline=(
                "typed floor: the raw loop parsing with "
                + ("msgspec" if install == "fast" else "json.loads")
                + " + building each message_part event's three models (every field, no checks, no exactly-once)"
            ),
            metric="rate / typed floor rate",
            target=TARGETS["stream-floor"][install],
            ratios=[c / f for f, c in zip(floors, ours, strict=True)],
            client=[c / 1e3 for c in ours],
            reference=[f / 1e3 for f in floors],
            details={"events": events},
            **common,
        ),
    ]


def fastest_json_parser(install: str) -> Callable[[str | bytes], Any]:
    if install == "plain":
        return json.loads
    import msgspec

    return msgspec.json.Decoder().decode


def bench_astream(quick: bool, rounds: int | None = None, cases: list[Case] = ALL_CASES) -> list[Result]:
    events, default_rounds = SIZES["astream"].pick(quick)
    rounds = rounds or default_rounds
    results = []
    for data_set, installs in by_data_set(cases).items():
        with ws_server(events, data_set) as server:
            for install in installs:
                with installed(install):
                    results.append(asyncio.run(_astream_case(server, events, rounds, data_set, install)))
    return results


async def _astream_case(server: ServerProcess, events: int, rounds: int, data_set: str, install: str) -> Result:
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    from coder_chat.client import AuthenticatedClient
    from coder_chat.streaming import StreamDisconnectedError, astream_chat

    ws_url = f"ws://127.0.0.1:{server.port}/api/experimental/chats/{data.CHAT_ID}/stream"
    client = AuthenticatedClient(base_url=server.url, token=TOKEN, api_generation="experimental")
    max_frame = 4 * 1024 * 1024  # astream_chat's default max_frame_bytes, for both sides
    delivered: list[int] = []

    async def baseline() -> float:
        # The raw loop a user could write: websockets' own recv() (text decoded to str) + json.loads.
        start = time.perf_counter()
        count = 0
        async with connect(ws_url, additional_headers={"Coder-Session-Token": TOKEN}, max_size=max_frame) as ws:
            try:
                while True:
                    count += len(json.loads(await ws.recv())["data"])
            except ConnectionClosed:
                pass
        elapsed = time.perf_counter() - start
        assert count == events, f"raw websockets loop received {count} of {events} events"
        return events / elapsed

    async def mine() -> float:
        start = time.perf_counter()
        count = 0
        try:
            async with astream_chat(client, data.CHAT_ID, reconnect=False) as stream:
                async for _event in stream:
                    count += 1
        except StreamDisconnectedError:  # the server's close frame ends the run
            pass
        elapsed = time.perf_counter() - start
        assert count >= 0.99 * events, f"astream_chat delivered {count} of {events} events"
        delivered.append(count)
        return events / elapsed

    async def acollected(run: Callable[[], Awaitable[float]]) -> float:
        gc.collect()
        return await run()

    await mine()  # warm-up
    await baseline()
    base: list[float] = []
    ours: list[float] = []
    for index in range(rounds):
        if index % 2 == 0:
            base.append(await acollected(baseline))
            ours.append(await acollected(mine))
        else:
            ours.append(await acollected(mine))
            base.append(await acollected(baseline))
    client.close()
    return Result(
        name=result_name("astream", data_set, install),
        benchmark="astream",
        data=data_set,
        install=install,
        what=(
            f"events/s through astream_chat: {events:,} events ({data_note(data_set)}) pushed in 256-event "
            "frames over loopback"
        ),
        baseline="websockets (asyncio) recv() + json.loads, same server",
        metric="rate / baseline rate",
        target=TARGETS["astream"][install],
        ratios=[c / b for b, c in zip(base, ours, strict=True)],
        client=[c / 1e3 for c in ours],
        reference=[b / 1e3 for b in base],
        unit="k events/s",
        details={"events": events, "events_delivered": delivered[-1]},
    )
