"""Every benchmark of ``python -m bench`` runs in quick mode and reports a finite positive ratio.

Only the shape of ``results.json`` is checked, never a figure: timings on a shared machine prove
nothing in a test (``make bench`` is where the figures are read). One quick run serves all the tests.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.__main__ import main
from bench.benchmarks import BENCHMARKS

ROOT = Path(__file__).resolve().parents[2]
NAMES = list(BENCHMARKS)
RESULT_KEYS = {
    "name",
    "note",
    "what",
    "baseline",
    "metric",
    "ratio",
    "ratios",
    "spread",
    "rounds",
    "target",
    "ok",
    "unit",
    "client",
    "reference",
    "details",
}


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    output = tmp_path_factory.mktemp("bench") / "results.json"
    process = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )
    assert process.returncode == 0, f"python -m bench --quick failed:\n{process.stdout}\n{process.stderr}"
    return process, json.loads(output.read_text(encoding="utf-8"))


def _positive(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value > 0


@pytest.mark.parametrize("name", NAMES)
def test_each_benchmark_reports_a_finite_positive_ratio(
    quick_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]], name: str
) -> None:
    _, report = quick_run
    assert report["failures"] == {}
    result = report["benchmarks"][name]
    assert set(result) == RESULT_KEYS
    assert result["name"] == name
    assert _positive(result["ratio"])
    assert result["rounds"] == len(result["ratios"]) >= 1
    assert all(_positive(ratio) for ratio in result["ratios"])
    assert set(result["spread"]) == {"min", "max", "relative"}
    assert result["spread"]["min"] <= result["ratio"] <= result["spread"]["max"]
    assert set(result["target"]) == {"op", "value", "of", "unit"}
    assert result["target"]["op"] in {"<", "<=", ">", ">="}
    assert isinstance(result["ok"], bool)  # whether it is met is for make bench to say, not for tests
    for side in ("client", "reference"):
        assert _positive(result[side]["median"])
        assert len(result[side]["rounds"]) == result["rounds"]


def test_the_report_says_where_and_how_it_ran(
    quick_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]],
) -> None:
    process, report = quick_run
    assert report["quick"] is True
    assert set(report["benchmarks"]) == set(NAMES)
    assert {"python", "cpus"} <= set(report["environment"])
    for name in NAMES:  # the table names every benchmark
        assert any(line.startswith(name + " ") for line in process.stdout.splitlines()), process.stdout


def test_the_stream_benchmark_reports_its_typed_floor(
    quick_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]],
) -> None:
    process, report = quick_run
    stream = report["benchmarks"]["stream"]
    assert _positive(stream["details"]["typed_floor_ratio"])
    assert stream["note"].startswith("typed floor (") and stream["note"] in process.stdout


def test_rest_reused_one_connection(quick_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]]) -> None:
    details = quick_run[1]["benchmarks"]["rest"]["details"]
    assert details["tcp_connections"] == 1
    assert set(details["new_connections_per_round"]) == {0}


def test_memory_target_is_growth_in_megabytes(
    quick_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]],
) -> None:
    result = quick_run[1]["benchmarks"]["memory"]
    assert result["target"]["of"] == "growth_mb"
    assert math.isfinite(result["details"]["growth_mb"])


def test_an_unknown_benchmark_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="unknown benchmark"):
        main(["--quick", "--only", "nope", "--output", str(tmp_path / "r.json")])
    assert not (tmp_path / "r.json").exists()
