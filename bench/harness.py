"""What every benchmark shares: the ``Result`` record, round scheduling, RSS, the table and the JSON.

Every figure is a ratio against a baseline measured in the same run, on the same data and the same
server. Each round measures both sides back to back (alternating which goes first, so a slow phase of
a shared machine does not always hit the same side) and gives one ratio; a benchmark reports the
median of its rounds' ratios and their spread (min, max, and (max - min) / median).
"""

from __future__ import annotations

import gc
import math
import operator
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_OPS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le,
    "<": operator.lt,
    ">=": operator.ge,
    ">": operator.gt,
}


@dataclass
class Target:
    """``<value of key> <op> <value>``, e.g. ratio <= 3 or growth_mb < 20."""

    op: str
    value: float
    key: str = "ratio"
    unit: str = "×"

    def met(self, result: Result) -> bool:
        figure = result.ratio if self.key == "ratio" else result.details[self.key]
        return _OPS[self.op](figure, self.value)

    def __str__(self) -> str:
        label = "" if self.key == "ratio" else f"{self.key} "
        value = f"{self.value:g}"
        return f"{label}{self.op} {value}{self.unit}"

    def as_json(self) -> dict[str, Any]:
        return {"op": self.op, "value": self.value, "of": self.key, "unit": self.unit}


@dataclass
class Result:
    name: str  # "<benchmark> <data set> <install>", e.g. "decode realistic fast"
    what: str
    baseline: str
    metric: str  # what the ratio is, e.g. "time / baseline time"
    target: Target | None  # None: reported for information, no target
    ratios: list[float]
    client: list[float]  # per-round figure of this client (unit below)
    reference: list[float]  # per-round figure of the baseline
    unit: str
    details: dict[str, Any] = field(default_factory=dict)
    note: str = ""  # printed under the table; ``{key}`` placeholders are filled from ``details``
    benchmark: str = ""  # the benchmark (``--only`` name) this result belongs to
    data: str | None = None  # the data set (bench.data.DATA_SETS), None where no data is involved
    install: str = "fast"  # "fast": msgspec paths on; "plain": off, as a plain pip install runs

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    @property
    def spread(self) -> dict[str, float]:
        low, high = min(self.ratios), max(self.ratios)
        return {"min": low, "max": high, "relative": (high - low) / self.ratio if self.ratio else math.inf}

    @property
    def ok(self) -> bool:
        return self.target is None or self.target.met(self)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "benchmark": self.benchmark,
            "data": self.data,
            "install": self.install,
            "what": self.what,
            "baseline": self.baseline,
            "metric": self.metric,
            "ratio": self.ratio,
            "ratios": self.ratios,
            "spread": self.spread,
            "rounds": len(self.ratios),
            "target": None if self.target is None else self.target.as_json(),
            "ok": self.ok,
            "unit": self.unit,
            "client": {"median": statistics.median(self.client), "rounds": self.client},
            "reference": {"median": statistics.median(self.reference), "rounds": self.reference},
            "details": self.details,
            "note": self.note.format(**self.details),
        }


def timed(fn: Callable[[], object]) -> float:
    """CPU seconds one call of ``fn`` takes, after a full collection (so garbage of the other side is not billed).

    For the in-process benchmarks (no I/O, one thread), this process's CPU time is the cost itself, and
    unlike wall time it does not count the moments a busy shared machine gives the core to someone else.
    """
    gc.collect()
    start = time.process_time()
    fn()
    return time.process_time() - start


def paired_rounds(
    rounds: int, baseline: Callable[[], float], client: Callable[[], float]
) -> tuple[list[float], list[float]]:
    """Run both sides ``rounds`` times, alternating which goes first; each returns its figure."""
    base_figures: list[float] = []
    client_figures: list[float] = []
    for index in range(rounds):
        if index % 2 == 0:
            base_figures.append(baseline())
            client_figures.append(client())
        else:
            client_figures.append(client())
            base_figures.append(baseline())
    return base_figures, client_figures


def rss_bytes() -> int:
    """Resident set size of this process now (VmRSS), in bytes."""
    return _proc_status("VmRSS")


def peak_rss_bytes() -> int:
    """Peak resident set size of this process (VmHWM), in bytes."""
    return _proc_status("VmHWM")


def _proc_status(key: str) -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource  # not Linux: the peak is all there is

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def environment() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def _fmt(value: float) -> str:
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def table(results: list[Result]) -> str:
    """The results as a fixed-width text table."""
    header = ("name", "ratio", "spread (min-max, ±)", "target", "met", "this client", "baseline", "ratio means")
    rows = [header]
    for result in results:
        spread = result.spread
        target = result.target
        ratio = f"{_fmt(result.ratio)}×"
        if target is not None and target.key != "ratio":
            ratio += f" ({target.key} {_fmt(result.details[target.key])})"
        rows.append(
            (
                result.name,
                ratio,
                f"{_fmt(spread['min'])}-{_fmt(spread['max'])}  ±{spread['relative'] * 50:.0f}%",
                "-" if target is None else str(target),
                "-" if target is None else "yes" if result.ok else "NO",
                f"{_fmt(statistics.median(result.client))} {result.unit}",
                f"{_fmt(statistics.median(result.reference))} {result.unit}",
                result.metric,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
