"""What the benchmark modules share: the installs, the cases (data set × install), the targets (listed
in ``bench.benchmarks``'s docstring), how much work each benchmark does, and a few helpers.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bench import data
from bench.harness import Target

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
    "turn": {"fast": Target(">=", 0.6), "plain": Target(">=", 0.4)},
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
    "turn": Size(full=100_000, quick=5_000, rounds=11),
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


def by_data_set(cases: list[Case]) -> dict[str, list[str]]:
    """The installs of ``cases`` per data set, in order: a benchmark prepares each data set's input once."""
    grouped: dict[str, list[str]] = {}
    for data_set, install in cases:
        grouped.setdefault(data_set, []).append(install)
    return grouped


def result_name(benchmark: str, data_set: str | None, install: str) -> str:
    """``"<benchmark> <data set> <install>"``, e.g. ``"decode realistic fast"``."""
    return " ".join(filter(None, (benchmark, data_set, install)))


_DATA_NOTES = {
    "realistic": "realistic agent turns",
    "light": "light data",
    "small-parts": "many small parts",
    "v2": "light data as v2 streams it",
}


def data_note(data_set: str) -> str:
    """The data set, in the words of a result's ``what``."""
    return _DATA_NOTES[data_set]


def collected(fn: Callable[[], float]) -> float:
    """``fn()`` after a full collection (so garbage of the other side is not billed to it)."""
    gc.collect()
    return fn()
