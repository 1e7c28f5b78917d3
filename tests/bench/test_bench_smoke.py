"""Every benchmark of ``python -m bench`` runs in quick mode, for every data set and install, and reports
a finite positive ratio.

Only the shape of ``results.json`` is checked, never a figure: timings on a shared machine prove
nothing in a test (``make bench`` is where the figures are read). One quick run serves all the tests.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench import data
from bench.__main__ import main
from bench.benchmarks import BENCHMARKS, INSTALLS
from bench.cases import SIZES

pytestmark = pytest.mark.serial

ROOT = Path(__file__).resolve().parents[2]
NAMES = list(BENCHMARKS)
# Every result the full run reports: each benchmark on each data set with each install (import has no data),
# and the stream's share of its typed floor.
RESULTS = [
    " ".join(filter(None, (name, data_set, install)))
    for name in [*NAMES, "stream-floor"]
    for data_set in ([None] if name == "import" else data.DATA_SETS)
    for install in INSTALLS
]
RESULT_KEYS = {
    "name",
    "benchmark",
    "data",
    "install",
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
        timeout=200,
        check=False,
    )
    assert process.returncode == 0, f"python -m bench --quick failed:\n{process.stdout}\n{process.stderr}"
    return process, json.loads(output.read_text(encoding="utf-8"))


def _positive(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value > 0


@pytest.mark.parametrize("name", RESULTS)
def test_each_benchmark_reports_a_finite_positive_ratio(
    quick_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]], name: str
) -> None:
    _, report = quick_run
    assert report["failures"] == {}
    result = report["benchmarks"][name]
    assert set(result) == RESULT_KEYS
    assert result["name"] == name
    assert result["benchmark"] in NAMES and result["install"] in INSTALLS
    assert result["data"] == (None if result["benchmark"] == "import" else name.split()[1])
    assert _positive(result["ratio"])
    assert result["rounds"] == len(result["ratios"]) >= 1
    assert all(_positive(ratio) for ratio in result["ratios"])
    assert set(result["spread"]) == {"min", "max", "relative"}
    assert result["spread"]["min"] <= result["ratio"] <= result["spread"]["max"]
    if not (name.startswith("stream-floor ") and name.endswith(" plain")):  # the only ones without
        assert set(result["target"]) == {"op", "value", "of", "unit"}
        assert result["target"]["op"] in {"<", "<=", ">", ">="}
    else:
        assert result["target"] is None
    assert isinstance(result["ok"], bool)  # whether it is met is for make bench to say, not for tests
    for side in ("client", "reference"):
        assert _positive(result[side]["median"])
        assert len(result[side]["rounds"]) == result["rounds"]


def test_the_report_says_where_and_how_it_ran(
    quick_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]],
) -> None:
    process, report = quick_run
    assert report["quick"] is True
    assert set(report["benchmarks"]) == set(RESULTS)
    assert {"python", "cpus"} <= set(report["environment"])
    for name in RESULTS:  # the table names every result
        assert any(line.startswith(name + " ") for line in process.stdout.splitlines()), process.stdout


@pytest.mark.parametrize("data_set", data.DATA_SETS)
@pytest.mark.parametrize("install", INSTALLS)
def test_the_stream_benchmark_reports_its_typed_floor(
    quick_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]], data_set: str, install: str
) -> None:
    process, report = quick_run
    stream = report["benchmarks"][f"stream {data_set} {install}"]
    assert _positive(stream["details"]["typed_floor_ratio"])
    assert stream["note"].startswith("typed floor (") and stream["note"] in process.stdout
    floor = report["benchmarks"][f"stream-floor {data_set} {install}"]
    assert floor["client"]["rounds"] == stream["client"]["rounds"]  # the same stream_chat rounds


@pytest.mark.parametrize("data_set", data.DATA_SETS)
def test_rest_reused_one_connection(
    quick_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]], data_set: str
) -> None:
    for install in INSTALLS:
        details = quick_run[1]["benchmarks"][f"rest {data_set} {install}"]["details"]
        assert details["tcp_connections"] == 1
        assert set(details["new_connections_per_round"]) == {0}


def test_memory_target_is_growth_in_megabytes(
    quick_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]],
) -> None:
    for data_set in data.DATA_SETS:
        for install in INSTALLS:
            result = quick_run[1]["benchmarks"][f"memory {data_set} {install}"]
            assert result["target"]["of"] == "growth_without_chat_mb"
            assert math.isfinite(result["details"]["growth_mb"])
            assert result["details"]["growth_without_chat_mb"] >= 0


def test_an_unknown_benchmark_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="unknown benchmark"):
        main(["--quick", "--only", "nope", "--output", str(tmp_path / "r.json")])
    assert not (tmp_path / "r.json").exists()


def test_the_data_sets_are_deterministic_and_differ() -> None:
    for data_set in data.DATA_SETS:
        assert data.stream_frames(500, data=data_set) == data.stream_frames(500, data=data_set)
        assert data.chat_with_messages(20, data=data_set) == data.chat_with_messages(20, data=data_set)
    frames = {data_set: data.stream_frames(500, data=data_set) for data_set in data.DATA_SETS}
    assert len({"".join(sets) for sets in frames.values()}) == len(data.DATA_SETS)
    with pytest.raises(ValueError, match="unknown data set"):
        next(data.stream_events(1, data="nope"))


# The digests of the realistic and light data as make bench has always generated them: the figures of
# every run stay comparable only while their bytes stay the same.
_DIGESTS = {
    ("realistic", "frames"): "1c752b9c58629125559e5810d91fa9550ab1d5c58d551bc866910ad4d388e115",
    ("realistic", "chat"): "47079fbf0982c4aee835085a6ab20e869516571accbb268ba9ec3d227ccad32d",
    ("light", "frames"): "54da484f295f18f6298d6c154782cfea87ff9ed116465d4b07dd9524cbe4e382",
    ("light", "chat"): "67fc502e14979f576fab7862949235af7b26f709a695a06e6f1c905ca3fdef73",
}


@pytest.mark.parametrize("data_set", ["realistic", "light"])
def test_the_earlier_data_sets_keep_their_bytes(data_set: str) -> None:
    frames = "\n".join(data.stream_frames(3_000, data=data_set))
    chat = data.dumps(data.chat_with_messages(200, data=data_set))
    assert hashlib.sha256(frames.encode()).hexdigest() == _DIGESTS[data_set, "frames"]
    assert hashlib.sha256(chat.encode()).hexdigest() == _DIGESTS[data_set, "chat"]


def test_the_small_parts_stream_is_token_sized_deltas_of_messages_of_5_to_20_short_parts() -> None:
    kinds = data.count_kinds(data.stream_frames(20_000, data="small-parts"))
    for kind in (
        "status",
        "queue_update",
        "message",
        "part:text",
        "part:reasoning",
        "part:tool-call",
        "part:tool-result",
    ):
        assert kinds.get(kind, 0) > 0, kind
    step: dict[str, list[str]] = {"text": [], "reasoning": []}
    messages = 0
    for event in data.stream_events(20_000, data="small-parts"):
        if event["type"] == "message_part":
            part = event["message_part"]["part"]
            if part["type"] in step:
                assert (part["text"] and 1 <= len(part["text"].split()) <= 4) or not part["text"].strip(), part
                step[part["type"]].append(part["text"])
        elif event["type"] == "message":
            message = event["message"]
            messages += 1
            assert message["role"] == "assistant" and 5 <= len(message["content"]) <= 20
            for kind, deltas in step.items():  # the message persists what the step streamed, in order
                assert "".join(p["text"] for p in message["content"] if p["type"] == kind) == "".join(deltas)
            step = {"text": [], "reasoning": []}
    assert messages > 100
    chat = data.chat_with_messages(500, data="small-parts")["messages"]
    assert len(chat) == 500 and all(m["role"] == "assistant" and 5 <= len(m["content"]) <= 20 for m in chat)
    texts = [part["text"] for m in chat for part in m["content"] if "text" in part]
    assert max(len(text) for text in texts) < 400  # short parts


@pytest.mark.parametrize("data_set", data.DATA_SETS)
def test_one_turn_is_the_prompt_then_one_turn_that_ends_at_waiting(data_set: str) -> None:
    turn = data.one_turn(3_000, data=data_set)
    events = turn.events
    assert len(events) == 3_000
    prompt = turn.reply["message"]
    assert prompt["id"] == max(m["id"] for m in turn.before["messages"]) + 1 and prompt["role"] == "user"
    assert events[0] == {"type": "message", "chat_id": data.CHAT_ID, "message": prompt}
    assert [e["status"]["status"] for e in events if e["type"] == "status"] == ["running", "waiting"]
    assert events[1]["type"] == "status" and events[-1]["type"] == "status"
    persisted = [e["message"] for e in events[1:] if e["type"] == "message"]
    assert persisted and all(m["role"] != "user" for m in persisted)
    assert [m["id"] for m in persisted] == list(range(prompt["id"] + 1, prompt["id"] + 1 + len(persisted)))
    assert turn.after["messages"] == [*turn.before["messages"], prompt, persisted[-1]]
    texts = sum(1 for e in events if e["type"] == "message_part" and e["message_part"]["part"]["type"] == "text")
    assert turn.text_deltas == texts > 0


@pytest.mark.parametrize("data_set", data.DATA_SETS)
def test_the_turn_benchmark_counted_every_text_delta_of_the_turn(
    quick_run: tuple[subprocess.CompletedProcess[str], dict[str, Any]], data_set: str
) -> None:
    expected = data.one_turn(SIZES["turn"].quick, data=data_set).text_deltas
    for install in INSTALLS:
        details = quick_run[1]["benchmarks"][f"turn {data_set} {install}"]["details"]
        assert details["text_deltas"] == expected


def test_the_realistic_stream_has_what_an_agent_turn_has() -> None:
    kinds = data.count_kinds(data.stream_frames(20_000, data="realistic"))
    for kind in (
        "status",
        "queue_update",
        "message",
        "part:text",
        "part:reasoning",
        "part:tool-call",
        "part:tool-result",
    ):
        assert kinds.get(kind, 0) > 0, kind
    messages = data.chat_with_messages(200, data="realistic")["messages"]
    assistant = [message for message in messages if message["role"] == "assistant"]
    assert assistant and all(5 <= len(message["content"]) <= 20 for message in assistant)


def test_only_data_and_install_filter_the_cases(tmp_path: Path) -> None:
    output = tmp_path / "r.json"
    assert main(["--quick", "--only", "decode", "--data", "light", "--install", "plain", "--output", str(output)]) == 0
    assert set(json.loads(output.read_text(encoding="utf-8"))["benchmarks"]) == {"decode light plain"}
    with pytest.raises(SystemExit, match="unknown install"):
        main(["--quick", "--install", "turbo", "--output", str(output)])


def test_the_v2_stream_is_the_light_stream_with_each_parts_episode_and_seq() -> None:
    light = list(data.stream_events(5_000, data="light"))
    v2 = list(data.stream_events(5_000, data="v2"))
    identity = ("history_version", "generation_attempt", "seq")
    episodes: list[tuple[int, int]] = []
    seq = 0
    for plain, event in zip(light, v2, strict=True):
        if event["type"] != "message_part":
            assert event == plain
            continue
        stream_part = event["message_part"]
        assert {k: v for k, v in stream_part.items() if k not in identity} == plain["message_part"]
        episode = (stream_part["history_version"], stream_part["generation_attempt"])
        if not episodes or episode != episodes[-1]:
            assert not episodes or episode > episodes[-1]  # a persisted message starts the next episode
            episodes.append(episode)
            seq = 0
        seq += 1
        assert stream_part["seq"] == seq  # from 1, without a gap, in each episode
    assert len(episodes) > 10
    # The client delivers every part of it once, in order (the episodes' path), on either parser.
    from coder_chat._runtime import speedups
    from coder_chat.streaming import decode_frame
    from coder_chat.streaming._codec.replay import ReplayFilter

    sent = [event["message_part"]["part"] for event in v2 if event["type"] == "message_part"]
    for install in INSTALLS:
        with speedups.disabled() if install == "plain" else contextlib.nullcontext():
            replay = ReplayFilter(data.CHAT_ID)
            replay.connection_opened()
            delivered = []
            for frame in data.stream_frames(5_000, data="v2"):
                replay.frame_received(frame)
                delivered += [
                    e.message_part.part.to_dict() for e in replay.feed_all(decode_frame(frame)) if e.message_part
                ]
        assert delivered == sent, install
