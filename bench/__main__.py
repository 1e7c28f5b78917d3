"""``python -m bench [--quick] [--only NAME ...] [--rounds N] [--output PATH] [--check]``.

Runs the benchmarks (all by default), prints the table of ratios and writes the results as JSON
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

from bench.benchmarks import BENCHMARKS
from bench.harness import Result, environment, table

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results.json"


def _names(values: list[str] | None) -> list[str]:
    if not values:
        return list(BENCHMARKS)
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        raise SystemExit(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[1])
    parser.add_argument("--quick", action="store_true", help="small smoke run (what make test runs)")
    parser.add_argument("--only", action="append", metavar="NAME", help=f"run only these ({', '.join(BENCHMARKS)})")
    parser.add_argument("--rounds", type=int, help="rounds per benchmark (default: each benchmark's own)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write the JSON results")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.rounds is not None and args.rounds < 1:
        parser.error("--rounds must be at least 1")

    results: list[Result] = []
    failures: dict[str, str] = {}
    started = time.perf_counter()
    for name in _names(args.only):
        print(f"{name} ...", end="", flush=True, file=sys.stderr)
        began = time.perf_counter()
        try:
            result = BENCHMARKS[name](args.quick, args.rounds)
        except Exception:
            failures[name] = traceback.format_exc()
            print(f" FAILED\n{failures[name]}", file=sys.stderr)
            continue
        results.append(result)
        print(f" {time.perf_counter() - began:.1f} s", file=sys.stderr)

    report = {
        "quick": args.quick,
        "environment": environment(),
        "seconds": time.perf_counter() - started,
        "benchmarks": {result.name: result.as_json() for result in results},
        "failures": failures,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")

    print(table(results))
    print(f"\n{len(results)} benchmark(s) in {report['seconds']:.0f} s; results in {args.output}")
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
