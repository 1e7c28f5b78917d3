"""The REST benchmark (target fast / plain):

* rest: ``get_chat.sync`` round trips on one kept-alive client vs ``httpx.Client.get`` + ``json.loads``: ≥ 0.7×
"""

from __future__ import annotations

import json
import time
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
from bench.harness import Result, paired_rounds
from bench.servers import ServerProcess


def bench_rest(quick: bool, rounds: int | None = None, cases: list[Case] = ALL_CASES) -> list[Result]:
    requests, default_rounds = SIZES["rest"].pick(quick)
    rounds = rounds or default_rounds
    results = []
    for data_set, installs in by_data_set(cases).items():
        with ServerProcess("http", "--messages", "4", "--queued", "1", "--data", data_set) as server:
            for install in installs:
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
        base, ours = paired_rounds(rounds, lambda: collected(baseline), lambda: collected(mine))

    return Result(
        name=result_name("rest", data_set, install),
        benchmark="rest",
        data=data_set,
        install=install,
        what=(
            f"get_chat.sync round trips ({requests:,} per round, {body_bytes:,}-byte chat of 4 messages, "
            f"{data_note(data_set)}) on one kept-alive client"
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
