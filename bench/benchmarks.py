"""The benchmarks. Each returns one ``Result`` per case (data set × install): per-round ratios against its baseline.

Every benchmark that reads chat data runs on both data sets of ``bench.data`` (``realistic``, what an
agent's turns look like, and ``light``, the earlier easier data) and with both installs: ``fast``
(msgspec, the ``fast`` extra, as ``make install`` sets up) and ``plain`` (the msgspec paths switched off
with ``coder_chat._runtime.speedups.disabled()``, as a plain ``pip install coder-chat`` runs them;
``import`` instead hides msgspec from a fresh interpreter). Targets differ by install.

Targets (fast / plain):

* decode: ``decode_frame`` over a recorded stream vs ``json.loads`` of the same frames: time ≤ 2× / ≤ 3×
* stream: events/s through ``stream_chat`` vs a websocket-client ``recv()`` + ``json.loads`` loop,
  same loopback server: ≥ 0.6× / ≥ 0.4×
* stream-floor: the same ``stream_chat`` rounds vs the typed floor (the raw loop + building each part
  event's models): ≥ 0.8× / none
* astream: events/s through ``astream_chat`` vs a ``websockets`` ``recv()`` + ``json.loads`` loop: ≥ 0.6× / ≥ 0.4×
* rest: ``get_chat.sync`` round trips on one kept-alive client vs ``httpx.Client.get`` + ``json.loads``: ≥ 0.7×
* big-chat: a 5,000-message ``ChatWithMessages`` parsed as ``get_chat`` parses it vs ``json.loads``: ≤ 3× / ≤ 4×
* memory: 1,000,000 events through ``ChatStream`` + ``ChatAccumulator``: RSS growth beyond the chat
  the accumulator keeps by design (the heap bytes its persisted messages take, measured: see
  ``bench.memory``) < 20 MB
* import: fresh ``import coder_chat.client, coder_chat.streaming`` vs fresh ``import httpx``: ≤ 1.5×
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from bench import data
from bench.harness import Result, Target, paired_rounds, timed
from bench.servers import ServerProcess

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "bench-session-token"

INSTALLS = ("fast", "plain")
"""``fast``: the msgspec paths on (the ``fast`` extra); ``plain``: off, as without the extra."""

Case = tuple[str, str]  # (data set, install)
ALL_CASES: list[Case] = [(data_set, install) for data_set in data.DATA_SETS for install in INSTALLS]

TARGETS: dict[str, dict[str, Target | None]] = {
    "decode": {"fast": Target("<=", 2), "plain": Target("<=", 3)},
    "stream": {"fast": Target(">=", 0.6), "plain": Target(">=", 0.4)},
    "stream-floor": {"fast": Target(">=", 0.8), "plain": None},
    "astream": {"fast": Target(">=", 0.6), "plain": Target(">=", 0.4)},
    "rest": {"fast": Target(">=", 0.7), "plain": Target(">=", 0.7)},
    "big-chat": {"fast": Target("<=", 3), "plain": Target("<=", 4)},
    "memory": {
        "fast": Target("<", 20, key="growth_without_chat_mb", unit=" MB"),
        "plain": Target("<", 20, key="growth_without_chat_mb", unit=" MB"),
    },
    "import": {"fast": Target("<=", 1.5), "plain": Target("<=", 1.5)},
}


@dataclass(frozen=True)
class Size:
    """How much work one benchmark does: full (``make bench``) or quick (the smoke run)."""

    full: int
    quick: int
    rounds: int
    quick_rounds: int = 2

    def pick(self, quick: bool) -> tuple[int, int]:
        return (self.quick, self.quick_rounds) if quick else (self.full, self.rounds)


SIZES = {
    "decode": Size(full=100_000, quick=3_000, rounds=7),
    "stream": Size(full=100_000, quick=5_000, rounds=15),
    "astream": Size(full=100_000, quick=5_000, rounds=15),
    "rest": Size(full=2_000, quick=50, rounds=7),
    "big-chat": Size(full=5_000, quick=200, rounds=5),
    "memory": Size(full=1_000_000, quick=20_000, rounds=2, quick_rounds=1),
    "import": Size(full=1, quick=1, rounds=11, quick_rounds=2),
}


@contextlib.contextmanager
def installed(install: str) -> Iterator[None]:
    """Run as the ``install`` would: ``fast`` with the msgspec paths, ``plain`` without them."""
    from coder_chat._runtime import speedups

    if install == "fast":
        if not speedups.available:
            raise RuntimeError("the 'fast' case needs msgspec (make install sets it up)")
        yield
    else:
        with speedups.disabled():
            yield


def _name(benchmark: str, data_set: str | None, install: str) -> str:
    return " ".join(filter(None, (benchmark, data_set, install)))


def _data_note(data_set: str) -> str:
    return "realistic agent turns" if data_set == "realistic" else "light data"


# --- decode --------------------------------------------------------------------------------------


def bench_decode(quick: bool, rounds: int | None = None, cases: list[Case] = ALL_CASES) -> list[Result]:
    events, default_rounds = SIZES["decode"].pick(quick)
    rounds = rounds or default_rounds
    results = []
    for data_set in dict.fromkeys(d for d, _ in cases):
        frames = data.stream_frames(events, data=data_set)
        for install in [i for d, i in cases if d == data_set]:
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
        name=_name("decode", data_set, install),
        benchmark="decode",
        data=data_set,
        install=install,
        what=(
            f"decode_frame over {events:,} events ({_data_note(data_set)}) in {len(frames):,} frames (≤256 events each)"
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


# --- stream --------------------------------------------------------------------------------------


def _ws_server(events: int, data_set: str) -> ServerProcess:
    return ServerProcess("ws", "--events", str(events), "--full", "--data", data_set)


def bench_stream(quick: bool, rounds: int | None = None, cases: list[Case] = ALL_CASES) -> list[Result]:
    events, default_rounds = SIZES["stream"].pick(quick)
    rounds = rounds or default_rounds
    results = []
    for data_set in dict.fromkeys(d for d, _ in cases):
        with _ws_server(events, data_set) as server:
            for install in [i for d, i in cases if d == data_set]:
                with installed(install):
                    results += _stream_case(server, events, rounds, data_set, install)
    return results


def _stream_case(server: ServerProcess, events: int, rounds: int, data_set: str, install: str) -> list[Result]:
    import websocket

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
        """Events/s of a raw websocket-client loop handing each message to ``events_in`` (which
        returns how many events the message held)."""
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
                count += events_in(message)
        except websocket.WebSocketConnectionClosedException:
            pass
        finally:
            ws.close()
        elapsed = time.perf_counter() - start
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
    parse = _fastest_json_parser(install)

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
            figures.append(_collected(run))
    client.close()

    what = (
        f"events/s through stream_chat: {events:,} events ({_data_note(data_set)}) pushed in 256-event "
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
            name=_name("stream", data_set, install),
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
            name=_name("stream-floor", data_set, install),
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


def _fastest_json_parser(install: str) -> Callable[[str | bytes], Any]:
    if install == "plain":
        return json.loads
    import msgspec

    return msgspec.json.Decoder().decode


def _collected(fn: Callable[[], float]) -> float:
    import gc

    gc.collect()
    return fn()


# --- astream -------------------------------------------------------------------------------------


def bench_astream(quick: bool, rounds: int | None = None, cases: list[Case] = ALL_CASES) -> list[Result]:
    events, default_rounds = SIZES["astream"].pick(quick)
    rounds = rounds or default_rounds
    results = []
    for data_set in dict.fromkeys(d for d, _ in cases):
        with _ws_server(events, data_set) as server:
            for install in [i for d, i in cases if d == data_set]:
                with installed(install):
                    results.append(asyncio.run(_astream_case(server, events, rounds, data_set, install)))
    return results


async def _astream_case(server: ServerProcess, events: int, rounds: int, data_set: str, install: str) -> Result:
    import gc

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

    async def collected(run: Callable[[], Awaitable[float]]) -> float:
        gc.collect()
        return await run()

    await mine()  # warm-up
    await baseline()
    base: list[float] = []
    ours: list[float] = []
    for index in range(rounds):
        if index % 2 == 0:
            base.append(await collected(baseline))
            ours.append(await collected(mine))
        else:
            ours.append(await collected(mine))
            base.append(await collected(baseline))
    client.close()
    return Result(
        name=_name("astream", data_set, install),
        benchmark="astream",
        data=data_set,
        install=install,
        what=(
            f"events/s through astream_chat: {events:,} events ({_data_note(data_set)}) pushed in 256-event "
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


# --- rest ----------------------------------------------------------------------------------------


def bench_rest(quick: bool, rounds: int | None = None, cases: list[Case] = ALL_CASES) -> list[Result]:
    requests, default_rounds = SIZES["rest"].pick(quick)
    rounds = rounds or default_rounds
    results = []
    for data_set in dict.fromkeys(d for d, _ in cases):
        with ServerProcess("http", "--messages", "4", "--queued", "1", "--data", data_set) as server:
            for install in [i for d, i in cases if d == data_set]:
                with installed(install):
                    results.append(_rest_case(server, requests, rounds, data_set, install))
    return results


def _rest_case(server: ServerProcess, requests: int, rounds: int, data_set: str, install: str) -> Result:
    import httpx

    from coder_chat.client import AuthenticatedClient
    from coder_chat.client.api.chats import get_chat

    chat_id = UUID(data.CHAT_ID)
    path = f"/api/experimental/chats/{chat_id}"
    connections: dict[str, list[int]] = {"client": [], "baseline": []}

    with (
        AuthenticatedClient(base_url=server.url, token=TOKEN) as client,
        httpx.Client(base_url=server.url, headers={"Coder-Session-Token": TOKEN}) as raw,
    ):
        body_bytes = len(raw.get(path).content)

        # Each round starts with an untimed request on its side's connection: httpx closes a connection
        # idle for 5 s (keepalive_expiry), which the other side's round may take on a busy machine.
        def baseline() -> float:
            json.loads(raw.get(path).content)
            server.stats(reset=True)
            start = time.perf_counter()
            for _ in range(requests):
                json.loads(raw.get(path).content)
            elapsed = time.perf_counter() - start
            connections["baseline"].append(server.stats()["connections"])
            return requests / elapsed

        def mine() -> float:
            get_chat.sync(chat_id, client=client)
            server.stats(reset=True)
            start = time.perf_counter()
            for _ in range(requests):
                get_chat.sync(chat_id, client=client)
            elapsed = time.perf_counter() - start
            stats = server.stats()
            # The pool's one connection, opened by the warm-up: every request of the round must reuse it.
            assert stats["connections"] == 0, f"get_chat.sync opened {stats['connections']} new connections"
            assert stats["requests"] == requests, stats
            connections["client"].append(stats["connections"])
            return requests / elapsed

        # Warm-up opens each side's one connection, so each round must count exactly one or zero new ones.
        server.stats(reset=True)
        for _ in range(3):
            get_chat.sync(chat_id, client=client)
        first = server.stats()
        assert first["connections"] == 1, f"three get_chat.sync calls used {first['connections']} connections"
        json.loads(raw.get(path).content)
        base, ours = paired_rounds(rounds, lambda: _collected(baseline), lambda: _collected(mine))

    return Result(
        name=_name("rest", data_set, install),
        benchmark="rest",
        data=data_set,
        install=install,
        what=(
            f"get_chat.sync round trips ({requests:,} per round, {body_bytes:,}-byte chat of 4 messages, "
            f"{_data_note(data_set)}) on one kept-alive client"
        ),
        baseline="httpx.Client.get + json.loads, same server",
        metric="rate / baseline rate",
        target=TARGETS["rest"][install],
        ratios=[c / b for b, c in zip(base, ours, strict=True)],
        client=list(ours),
        reference=list(base),
        unit="req/s",
        details={
            "requests_per_round": requests,
            "body_bytes": body_bytes,
            "tcp_connections": 1,  # asserted: the warm-up's connection served every round
            "new_connections_per_round": connections["client"],
        },
    )


# --- big-chat ------------------------------------------------------------------------------------


def bench_big_chat(quick: bool, rounds: int | None = None, cases: list[Case] = ALL_CASES) -> list[Result]:
    messages, default_rounds = SIZES["big-chat"].pick(quick)
    rounds = rounds or default_rounds
    results = []
    for data_set in dict.fromkeys(d for d, _ in cases):
        body = data.dumps(data.chat_with_messages(messages, data=data_set)).encode()
        for install in [i for d, i in cases if d == data_set]:
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
        name=_name("big-chat", data_set, install),
        benchmark="big-chat",
        data=data_set,
        install=install,
        what=(
            f"ChatWithMessages.from_dict(json_body(response)), as get_chat parses: {messages:,} messages "
            f"({_data_note(data_set)}), {parts:,} parts, {len(body) / 1e6:.1f} MB"
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


# --- memory --------------------------------------------------------------------------------------


def bench_memory(quick: bool, rounds: int | None = None, cases: list[Case] = ALL_CASES) -> list[Result]:
    events, default_rounds = SIZES["memory"].pick(quick)
    rounds = rounds or default_rounds
    return [_memory_case(events, rounds, data_set, install) for data_set, install in cases]


def _memory_case(events: int, rounds: int, data_set: str, install: str) -> Result:
    runs = [_memory_round(events, data_set, install) for _ in range(rounds)]
    growth = [run["growth_mb"] for run in runs]
    return Result(
        name=_name("memory", data_set, install),
        benchmark="memory",
        data=data_set,
        install=install,
        what=(
            f"{events:,} events ({_data_note(data_set)}, turns completing normally) through ChatStream + "
            "ChatAccumulator, fresh process"
        ),
        baseline="RSS of the same process before (stream open, first frame read)",
        metric="RSS after / RSS before",
        target=TARGETS["memory"][install],
        ratios=[run["rss_after"] / run["rss_before"] for run in runs],
        client=[run["rss_after"] / 2**20 for run in runs],
        reference=[run["rss_before"] / 2**20 for run in runs],
        unit="MB RSS",
        details={
            "events": events,
            "growth_mb": statistics.median(growth),
            "growth_mb_rounds": growth,
            "growth_without_chat_mb": statistics.median(run["growth_without_chat_mb"] for run in runs),
            "growth_without_chat_mb_rounds": [run["growth_without_chat_mb"] for run in runs],
            "method": runs[-1]["method"],
            # The chat's heap bytes (what letting go of its messages gives back), and the live bytes
            # the stream and accumulator keep beyond it (no fragmentation: a lower bound, for scale).
            "chat_mb": statistics.median(run.get("chat_mb", float("nan")) for run in runs),
            "live_beyond_chat_mb": statistics.median(run.get("live_beyond_chat_mb", float("nan")) for run in runs),
            # Of those live bytes: UTF-8 copies cached inside the kept messages' non-ASCII strings.
            "utf8_cache_mb": statistics.median(run.get("utf8_cache_mb", float("nan")) for run in runs),
            # The figure before the chat was measured: RSS after dropping the accumulator. Errs high by
            # the chat's small objects, whose pymalloc arenas a few surviving blocks keep (bench.memory).
            "released_growth_mb": statistics.median(run["released_growth_mb"] for run in runs),
            "peak_growth_mb": statistics.median(run["peak_growth_mb"] for run in runs),
            "events_per_s": statistics.median(run["events_per_s"] for run in runs),
            # What the accumulator keeps by design (the chat's persisted messages), for scale.
            "messages_kept": runs[-1]["messages_kept"],
            "messages_json_mb": runs[-1]["messages_json_mb"],
        },
        note=(
            "RSS growth {growth_mb:.1f} MB in all, {growth_without_chat_mb:.1f} MB beyond the chat the "
            "accumulator keeps by design ({messages_kept:,} persisted messages: {chat_mb:.1f} MB of heap, "
            "{messages_json_mb:.1f} MB as JSON; {live_beyond_chat_mb:.2f} MB live beyond it, "
            "{utf8_cache_mb:.2f} MB of which UTF-8 copies cached in its strings; "
            "RSS after dropping the accumulator {released_growth_mb:.1f} MB over before)"
        ),
    )


def _memory_round(events: int, data_set: str, install: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "bench.memory", str(events), data_set, install],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"memory round failed ({result.returncode}):\n{result.stderr[-4000:]}")
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


# --- import --------------------------------------------------------------------------------------

_IMPORT_PROBE = textwrap.dedent(
    """
    import sys, time
    {hide}
    start = time.perf_counter()
    {statement}
    print(time.perf_counter() - start)
    """
)


# A plain install has no msgspec: a fresh interpreter that cannot import it imports as one does.
_HIDE_MSGSPEC = {"fast": "", "plain": "sys.modules['msgspec'] = None  # import msgspec raises ImportError"}


def _import_time(statement: str, pycache: str, install: str, *, write_bytecode: bool = False) -> float:
    # Bytecode is read from (and the warm-up writes it to) a cache of the benchmark's own, for both
    # sides: an installed package has its bytecode (pip compiles it), but a source tree under
    # PYTHONDONTWRITEBYTECODE never gets any, and every import would be a compile. The source tree is
    # left alone (no __pycache__ appears in generated/, which `make check` compares with a fresh copy).
    env = {**os.environ, "PYTHONPYCACHEPREFIX": pycache}
    if write_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_PROBE.format(statement=statement, hide=_HIDE_MSGSPEC[install])],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return float(result.stdout.strip())


def bench_import(quick: bool, rounds: int | None = None, cases: list[Case] = ALL_CASES) -> list[Result]:
    _, default_rounds = SIZES["import"].pick(quick)
    rounds = rounds or default_rounds
    return [_import_case(rounds, install) for install in dict.fromkeys(i for _, i in cases)]


def _import_case(rounds: int, install: str) -> Result:
    client_statement = "import coder_chat.client, coder_chat.streaming"
    baseline_statement = "import httpx"
    with tempfile.TemporaryDirectory(prefix="bench-pycache-") as pycache:
        # warm the bytecode and page caches
        _import_time(client_statement, pycache, install, write_bytecode=True)
        _import_time(baseline_statement, pycache, install, write_bytecode=True)
        base, mine = paired_rounds(
            rounds,
            lambda: _import_time(baseline_statement, pycache, install),
            lambda: _import_time(client_statement, pycache, install),
        )
    hidden = " (msgspec hidden, as without the fast extra)" if install == "plain" else ""
    return Result(
        name=_name("import", None, install),
        benchmark="import",
        install=install,
        what=f"fresh interpreter{hidden}: {client_statement}",
        baseline=f"fresh interpreter: {baseline_statement}",
        metric="time / baseline time",
        target=TARGETS["import"][install],
        ratios=[c / b for b, c in zip(base, mine, strict=True)],
        client=[c * 1e3 for c in mine],
        reference=[b * 1e3 for b in base],
        unit="ms",
        details={"python": sys.executable},
    )


BENCHMARKS: dict[str, Callable[..., list[Result]]] = {
    "decode": bench_decode,
    "stream": bench_stream,
    "astream": bench_astream,
    "rest": bench_rest,
    "big-chat": bench_big_chat,
    "memory": bench_memory,
    "import": bench_import,
}
