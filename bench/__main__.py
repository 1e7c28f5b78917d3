"""``python -m bench [--quick] [--only NAME] [--data SET] [--install INSTALL] [--rounds N] [--output PATH] [--check]``.

Runs the benchmarks (all by default) on the four data sets (``realistic``, ``light``, ``small-parts``,
``v2``; see ``bench.data``) with both installs (``fast``: msgspec on; ``plain``: off, via ``speedups.disabled()``),
prints the table of ratios, one row per benchmark, data set and install, and writes the results, every round, as JSON
(``bench/results.json`` by default). ``--quick`` is the smoke run ``make test`` uses: small inputs,
two rounds, the same code paths. ``--check`` exits 1 when a benchmark misses its target (without it,
only a benchmark that fails to run makes the exit status non-zero).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from pathlib import Path

from bench import data
from bench.benchmarks import BENCHMARKS, INSTALLS
from bench.harness import Result, environment, table

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results.json"


def _names(values: list[str] | None, known: tuple[str, ...] | list[str], what: str = "benchmark") -> list[str]:
    if not values:
        return list(known)
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown:
        raise SystemExit(f"unknown {what}(s) {', '.join(unknown)}; choose from {', '.join(known)}")
    return [name for name in known if name in names]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[1])
    parser.add_argument("--quick", action="store_true", help="small smoke run (what make test runs)")
    parser.add_argument("--only", action="append", metavar="NAME", help=f"run only these ({', '.join(BENCHMARKS)})")
    parser.add_argument(
        "--data", action="append", metavar="SET", help=f"only these data sets ({', '.join(data.DATA_SETS)})"
    )
    parser.add_argument(
        "--install", action="append", metavar="INSTALL", help=f"only these installs ({', '.join(INSTALLS)})"
    )
    parser.add_argument("--rounds", type=int, help="rounds per benchmark (default: each benchmark's own)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write the JSON results")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.rounds is not None and args.rounds < 1:
        parser.error("--rounds must be at least 1")

    results: list[Result] = []
    failures: dict[str, str] = {}
    started = time.perf_counter()
    names = _names(args.only, list(BENCHMARKS))
    cases = [
        (data_set, install)
        for data_set in _names(args.data, data.DATA_SETS, "data set")
        for install in _names(args.install, INSTALLS, "install")
    ]
    for name in names:
        print(f"{name} ...", end="", flush=True, file=sys.stderr)
        began = time.perf_counter()
        try:
            results += BENCHMARKS[name](args.quick, args.rounds, cases)
        except Exception:
            failures[name] = traceback.format_exc()
            print(f" FAILED\n{failures[name]}", file=sys.stderr)
            continue
        print(f" {time.perf_counter() - began:.1f} s", file=sys.stderr)

    report = {
        "quick": args.quick,
        "environment": environment(),
        "seconds": time.perf_counter() - started,
        "benchmarks": {result.name: result.as_json() for result in results},
        "cases": [list(case) for case in cases],
        "failures": failures,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")

    print(table(results))
    print(f"\n{len(results)} result(s) in {report['seconds']:.0f} s; results in {args.output}")
    print("fast: msgspec paths on (the fast extra); plain: off (speedups.disabled()), as a plain install runs")
    for result in results:
        print(f"  {result.name}: {result.what}; baseline: {result.baseline}")
        if result.note:
            print(f"    {result.note.format(**result.details)}")
    if failures:
        print(f"FAILED to run: {', '.join(failures)}")
        return 2
    if args.check and not all(result.ok for result in results):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
