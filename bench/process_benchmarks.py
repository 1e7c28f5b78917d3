"""The benchmarks that run fresh processes (targets fast / plain):

* memory: 1,000,000 events through ``ChatStream`` + ``ChatAccumulator``: RSS growth beyond the chat
  the accumulator keeps by design (the heap bytes its persisted messages take, measured: see
  ``bench.memory``) < 20 MB
* import: fresh ``import coder_chat.client, coder_chat.streaming`` vs fresh ``import httpx``: ≤ 1.5×
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from typing import Any

from bench.cases import ALL_CASES, ROOT, SIZES, TARGETS, Case, data_note, result_name
from bench.harness import Result, paired_rounds


def bench_memory(quick: bool, rounds: int | None = None, cases: list[Case] = ALL_CASES) -> list[Result]:
    events, default_rounds = SIZES["memory"].pick(quick)
    rounds = rounds or default_rounds
    return [_memory_case(events, rounds, data_set, install) for data_set, install in cases]


def _memory_case(events: int, rounds: int, data_set: str, install: str) -> Result:
    runs = [_memory_round(events, data_set, install) for _ in range(rounds)]
    growth = [run["growth_mb"] for run in runs]
    return Result(
        name=result_name("memory", data_set, install),
        benchmark="memory",
        data=data_set,
        install=install,
        what=(
            f"{events:,} events ({data_note(data_set)}, turns completing normally) through ChatStream + "
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
        name=result_name("import", None, install),
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
