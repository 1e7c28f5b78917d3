"""The six benchmarks. Each returns a ``Result``: per-round ratios against its baseline.

| name | this client | baseline | target |
|---|---|---|---|
| decode | ``decode_frame`` over a recorded realistic stream | ``json.loads`` of the same frames | time ≤ 3× |
| stream | events/s through ``stream_chat`` from loopback | websocket-client ``recv()`` + ``json.loads`` | ≥ 0.8× |
| rest | ``get_chat.sync`` round trips on one kept-alive client | ``httpx.Client.get`` + ``json.loads`` | rate ≥ 0.7× |
| big-chat | ``ChatWithMessages`` of 5,000 messages from bytes | ``json.loads`` of the same body | time ≤ 5× |
| memory | 1,000,000 events through ``ChatStream`` + ``ChatAccumulator`` | RSS before | growth < 20 MB |
| import | fresh ``import coder_chat.client, coder_chat.streaming`` | fresh ``import httpx`` | time ≤ 2× |
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from bench import data
from bench.harness import Result, Target, paired_rounds, timed
from bench.servers import ServerProcess

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "bench-session-token"


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
    "decode": Size(full=200_000, quick=3_000, rounds=7),
    "stream": Size(full=200_000, quick=5_000, rounds=5),
    "rest": Size(full=3_000, quick=50, rounds=9),
    "big-chat": Size(full=5_000, quick=200, rounds=7),
    "memory": Size(full=1_000_000, quick=20_000, rounds=3, quick_rounds=1),
    "import": Size(full=1, quick=1, rounds=11, quick_rounds=2),
}


# --- decode --------------------------------------------------------------------------------------


def bench_decode(quick: bool, rounds: int | None = None) -> Result:
    from coder_chat.streaming import decode_frame

    events, default_rounds = SIZES["decode"].pick(quick)
    rounds = rounds or default_rounds
    frames = data.stream_frames(events)
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
    kinds = data.count_kinds(frames)
    return Result(
        name="decode",
        what=f"decode_frame over {events:,} events in {len(frames):,} frames (≤256 events each)",
        baseline="json.loads of the same frames",
        metric="CPU time / baseline CPU time",
        target=Target("<=", 3),
        ratios=[c / b for b, c in zip(base, mine, strict=True)],
        client=[events / c / 1e3 for c in mine],
        reference=[events / b / 1e3 for b in base],
        unit="k events/s",
        details={
            "events": events,
            "frames": len(frames),
            "bytes": sum(len(frame.encode()) for frame in frames),
            "event_mix": kinds,
        },
    )


# --- stream --------------------------------------------------------------------------------------


def bench_stream(quick: bool, rounds: int | None = None) -> Result:
    import websocket

    from coder_chat.client import AuthenticatedClient
    from coder_chat.client.models import (
        ChatMessagePart,
        ChatMessagePartType,
        ChatStreamEvent,
        ChatStreamEventType,
        ChatStreamMessagePart,
    )
    from coder_chat.client.types import UNSET
    from coder_chat.streaming import StreamDisconnectedError, stream_chat

    events, default_rounds = SIZES["stream"].pick(quick)
    rounds = rounds or default_rounds
    delivered: list[int] = []

    with ServerProcess("ws", "--events", str(events), "--full") as server:
        ws_url = f"ws://127.0.0.1:{server.port}/api/experimental/chats/{data.CHAT_ID}/stream"
        client = AuthenticatedClient(base_url=server.url, token=TOKEN)

        def raw_loop(events_in: Callable[[str | bytes], int]) -> float:
            """Events/s of a raw websocket-client loop handing each message to ``events_in`` (which
            returns how many events the message held)."""
            # UTF-8 is checked the way the client checks it (in C, by str decoding): websocket-client's
            # own validator is pure Python and would slow this side ~10×.
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

        def floor() -> float:
            # Not a client: the least work any client yielding this API's typed events does. The raw
            # loop, parsing with msgspec when installed (as stream_chat does), plus the three models of
            # each message_part event (type and text only); no checks, no other events, no exactly-once.
            parse = _fastest_json_parser()

            def typed_events_in(message: str | bytes) -> int:
                batch = parse(message)["data"]
                for raw in batch:
                    if raw["type"] == "message_part":
                        part = raw["message_part"]["part"]
                        ChatStreamEvent(
                            ChatStreamEventType.MESSAGE_PART,
                            chat_uuid,
                            UNSET,
                            ChatStreamMessagePart(
                                ChatMessagePart(part_types[part["type"]], part.get("text", UNSET)), "assistant"
                            ),
                        )
                return len(batch)

            return raw_loop(typed_events_in)

        chat_uuid = UUID(data.CHAT_ID)
        part_types = {member.value: member for member in ChatMessagePartType}
        mine()  # warm-up: imports, first connection
        baseline()
        floor()
        base, ours = paired_rounds(rounds, lambda: _collected(baseline), lambda: _collected(mine))
        floor_base, floors = paired_rounds(rounds, lambda: _collected(baseline), lambda: _collected(floor))
        client.close()

    return Result(
        name="stream",
        what=f"events/s through stream_chat: {events:,} events pushed in 256-event frames over loopback",
        baseline="websocket-client recv() + json.loads, same server",
        metric="rate / baseline rate",
        target=Target(">=", 0.8),
        ratios=[c / b for b, c in zip(base, ours, strict=True)],
        client=[c / 1e3 for c in ours],
        reference=[b / 1e3 for b in base],
        unit="k events/s",
        details={
            "events": events,
            # Consecutive equal statuses/queues are delivered once (docs/protocol.md): a few events fewer.
            "events_delivered": delivered[-1],
            "typed_floor_ratio": statistics.median(f / b for b, f in zip(floor_base, floors, strict=True)),
        },
        note=(
            "typed floor (raw loop + only building each message_part event's three models, no checks, "
            "no exactly-once): {typed_floor_ratio:.2f}× the baseline rate"
        ),
    )


def _fastest_json_parser() -> Callable[[str | bytes], Any]:
    try:
        import msgspec
    except ImportError:
        return json.loads
    return msgspec.json.Decoder().decode


def _collected(fn: Callable[[], float]) -> float:
    import gc

    gc.collect()
    return fn()


# --- rest ----------------------------------------------------------------------------------------


def bench_rest(quick: bool, rounds: int | None = None) -> Result:
    import httpx

    from coder_chat.client import AuthenticatedClient
    from coder_chat.client.api.chats import get_chat

    requests, default_rounds = SIZES["rest"].pick(quick)
    rounds = rounds or default_rounds
    chat_id = UUID(data.CHAT_ID)
    path = f"/api/experimental/chats/{chat_id}"
    connections: dict[str, list[int]] = {"client": [], "baseline": []}

    with (
        ServerProcess("http", "--messages", "4", "--queued", "1") as server,
        AuthenticatedClient(base_url=server.url, token=TOKEN) as client,
        httpx.Client(base_url=server.url, headers={"Coder-Session-Token": TOKEN}) as raw,
    ):
        body_bytes = len(raw.get(path).content)

        def baseline() -> float:
            server.stats(reset=True)
            start = time.perf_counter()
            for _ in range(requests):
                json.loads(raw.get(path).content)
            elapsed = time.perf_counter() - start
            connections["baseline"].append(server.stats()["connections"])
            return requests / elapsed

        def mine() -> float:
            server.stats(reset=True)
            start = time.perf_counter()
            for _ in range(requests):
                get_chat.sync(chat_id, client=client)
            elapsed = time.perf_counter() - start
            stats = server.stats()
            # The warm-up opened the pool's one connection: every request of the round must reuse it.
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
        name="rest",
        what=f"get_chat.sync round trips ({requests:,} per round, {body_bytes:,}-byte chat) on one kept-alive client",
        baseline="httpx.Client.get + json.loads, same server",
        metric="rate / baseline rate",
        target=Target(">=", 0.7),
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


def bench_big_chat(quick: bool, rounds: int | None = None) -> Result:
    from coder_chat.client.models import ChatWithMessages

    messages, default_rounds = SIZES["big-chat"].pick(quick)
    rounds = rounds or default_rounds
    body = data.dumps(data.chat_with_messages(messages)).encode()
    loads = json.loads
    loads(body)  # warm-up of both sides
    parsed = ChatWithMessages.from_dict(loads(body))
    assert len(parsed.messages) == messages
    parts = sum(len(message.content) for message in parsed.messages if isinstance(message.content, list))
    del parsed

    base, mine = paired_rounds(
        rounds,
        lambda: timed(lambda: loads(body)),
        lambda: timed(lambda: ChatWithMessages.from_dict(loads(body))),
    )
    return Result(
        name="big-chat",
        what=(
            f"ChatWithMessages.from_dict(json.loads(body)): {messages:,} messages, {parts:,} parts, "
            f"{len(body) / 1e6:.1f} MB"
        ),
        baseline="json.loads of the same body",
        metric="CPU time / baseline CPU time",
        target=Target("<=", 5),
        ratios=[c / b for b, c in zip(base, mine, strict=True)],
        client=[c * 1e3 for c in mine],
        reference=[b * 1e3 for b in base],
        unit="ms",
        details={"messages": messages, "parts": parts, "body_bytes": len(body)},
    )


# --- memory --------------------------------------------------------------------------------------


def bench_memory(quick: bool, rounds: int | None = None) -> Result:
    events, default_rounds = SIZES["memory"].pick(quick)
    rounds = rounds or default_rounds
    runs = [_memory_round(events) for _ in range(rounds)]
    growth = [run["growth_mb"] for run in runs]
    return Result(
        name="memory",
        what=f"{events:,} events (turns completing normally) through ChatStream + ChatAccumulator, fresh process",
        baseline="RSS of the same process before (stream open, first frame read)",
        metric="RSS after / RSS before",
        target=Target("<", 20, key="growth_mb", unit=" MB"),
        ratios=[run["rss_after"] / run["rss_before"] for run in runs],
        client=[run["rss_after"] / 2**20 for run in runs],
        reference=[run["rss_before"] / 2**20 for run in runs],
        unit="MB RSS",
        details={
            "events": events,
            "growth_mb": statistics.median(growth),
            "growth_mb_rounds": growth,
            "peak_growth_mb": statistics.median(run["peak_growth_mb"] for run in runs),
            "events_per_s": statistics.median(run["events_per_s"] for run in runs),
            # What the accumulator keeps by design (the chat's persisted messages), for scale.
            "messages_kept": runs[-1]["messages_kept"],
            "messages_json_mb": runs[-1]["messages_json_mb"],
        },
    )


def _memory_round(events: int) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "bench.memory", str(events)],
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
    import time
    start = time.perf_counter()
    {statement}
    print(time.perf_counter() - start)
    """
)


def _import_time(statement: str, pycache: str, *, write_bytecode: bool = False) -> float:
    # Bytecode is read from (and the warm-up writes it to) a cache of the benchmark's own, for both
    # sides: an installed package has its bytecode (pip compiles it), but a source tree under
    # PYTHONDONTWRITEBYTECODE never gets any, and every import would be a compile. The source tree is
    # left alone (no __pycache__ appears in generated/, which `make check` compares with a fresh copy).
    env = {**os.environ, "PYTHONPYCACHEPREFIX": pycache}
    if write_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_PROBE.format(statement=statement)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return float(result.stdout.strip())


def bench_import(quick: bool, rounds: int | None = None) -> Result:
    _, default_rounds = SIZES["import"].pick(quick)
    rounds = rounds or default_rounds
    client_statement = "import coder_chat.client, coder_chat.streaming"
    baseline_statement = "import httpx"
    with tempfile.TemporaryDirectory(prefix="bench-pycache-") as pycache:
        _import_time(client_statement, pycache, write_bytecode=True)  # warm the bytecode and page caches
        _import_time(baseline_statement, pycache, write_bytecode=True)
        base, mine = paired_rounds(
            rounds,
            lambda: _import_time(baseline_statement, pycache),
            lambda: _import_time(client_statement, pycache),
        )
    return Result(
        name="import",
        what=f"fresh interpreter: {client_statement}",
        baseline=f"fresh interpreter: {baseline_statement}",
        metric="time / baseline time",
        target=Target("<=", 2),
        ratios=[c / b for b, c in zip(base, mine, strict=True)],
        client=[c * 1e3 for c in mine],
        reference=[b * 1e3 for b in base],
        unit="ms",
        details={"python": sys.executable},
    )


BENCHMARKS: dict[str, Callable[..., Result]] = {
    "decode": bench_decode,
    "stream": bench_stream,
    "rest": bench_rest,
    "big-chat": bench_big_chat,
    "memory": bench_memory,
    "import": bench_import,
}
