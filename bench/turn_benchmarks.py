"""The turn benchmark: the task-level path against the raw loop under it (targets fast / plain):

* turn: text deltas/s through ``start_turn(client, "prompt", chat_id=...).text_stream``, one long turn of
  the data set's events from its start to its end (its REST calls included: the chat read before the
  prompt, the prompt, the chat read when the turn has ended), vs the websocket-client ``recv()`` +
  ``json.loads`` loop counting the ``text`` parts of the same stream, same server: ≥ 0.6× / ≥ 0.4×

The server (``bench.servers turn``) answers the turn's REST calls and streams the turn (the prompt's
message, ``running``, the parts and persisted messages, ``waiting``), then closes: the turn ends by
itself. The client is on the experimental generation (``api_generation="experimental"``: no probe
request) and does not reconnect (a reconnection would only replay the same turn).
"""

from __future__ import annotations

import json
import time
from typing import Any

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
from bench.harness import Result, paired_rounds
from bench.servers import ServerProcess
from bench.stream_benchmarks import raw_ws_loop


def bench_turn(quick: bool, rounds: int | None = None, cases: list[Case] = ALL_CASES) -> list[Result]:
    events, default_rounds = SIZES["turn"].pick(quick)
    rounds = rounds or default_rounds
    results = []
    for data_set, installs in by_data_set(cases).items():
        expected = data.one_turn(events, data=data_set).text_deltas  # what the server streams, rebuilt here
        with ServerProcess("turn", "--events", str(events), "--data", data_set) as server:
            for install in installs:
                with installed(install):
                    results.append(_turn_case(server, events, expected, rounds, data_set, install))
    return results


def _text_deltas(message: str | bytes) -> int:
    """The baseline's work per message: parse it, count its ``text`` parts."""
    count = 0
    for event in json.loads(message)["data"]:
        if event["type"] == "message_part" and event["message_part"]["part"]["type"] == "text":
            count += 1
    return count


def _turn_case(server: ServerProcess, events: int, expected: int, rounds: int, data_set: str, install: str) -> Result:
    from coder_chat.client import AuthenticatedClient
    from coder_chat.client.models import ChatStatus
    from coder_chat.streaming import start_turn

    ws_url = f"ws://127.0.0.1:{server.port}/api/experimental/chats/{data.CHAT_ID}/stream"
    client = AuthenticatedClient(base_url=server.url, token=TOKEN, api_generation="experimental")

    def baseline() -> float:
        count, elapsed = raw_ws_loop(ws_url, _text_deltas)
        assert count == expected, f"raw loop counted {count} of {expected} text deltas"
        return expected / elapsed

    def mine() -> float:
        start = time.perf_counter()
        with start_turn(client, data.PROMPT, chat_id=data.CHAT_ID, reconnect=False) as turn:
            count = 0
            for _delta in turn.text_stream:
                count += 1
            elapsed = time.perf_counter() - start
            status = turn.wait().status  # the turn ended by itself, at the stream's waiting
        # Every text delta, and no persisted rest: a turn that lost or added some would make the rate meaningless.
        assert count == expected, f"text_stream gave {count} of {expected} text deltas"
        assert status == ChatStatus.WAITING, f"the turn ended {status}"
        return expected / elapsed

    mine()  # warm-up: imports, first connections
    baseline()
    base, ours = paired_rounds(rounds, lambda: collected(baseline), lambda: collected(mine))
    client.close()
    details: dict[str, Any] = {"events": events, "text_deltas": expected, "rest_calls_per_turn": 3}
    return Result(
        name=result_name("turn", data_set, install),
        benchmark="turn",
        data=data_set,
        install=install,
        what=(
            f"text deltas/s through start_turn(...).text_stream: one turn of {events:,} events "
            f"({data_note(data_set)}), {expected:,} text deltas, from start_turn to the end of text_stream "
            "(3 small REST calls included) over loopback"
        ),
        baseline="websocket-client recv() + json.loads counting the same stream's text parts, same server",
        metric="rate / baseline rate",
        target=TARGETS["turn"][install],
        ratios=[c / b for b, c in zip(base, ours, strict=True)],
        client=[c / 1e3 for c in ours],
        reference=[b / 1e3 for b in base],
        unit="k deltas/s",
        details=details,
    )
