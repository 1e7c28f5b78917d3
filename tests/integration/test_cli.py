"""The ``coder-chat`` command line as a subprocess against the fake Coder: output, exit codes, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.fakecoder import FakeCoder, Script

pytestmark = pytest.mark.timeout(60)
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake() -> Iterator[FakeCoder]:
    with FakeCoder(script=Script(text_deltas=6)) as server:
        yield server


def env_for(fake: FakeCoder, token: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CODER_")}
    env.update(CODER_URL=fake.url, CODER_SESSION_TOKEN=fake.admin_token if token is None else token)
    return env


def cli(*args: str, env: dict[str, str], timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coder_chat", *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout
    )


def test_ask_streams_the_reply_and_prints_the_chat_id(fake: FakeCoder) -> None:
    done = cli("ask", "list the files", env=env_for(fake))
    assert done.returncode == 0, done.stderr
    assert done.stdout == fake.script.reply_text("list the files") + "\n"
    first_line = done.stderr.splitlines()[0]
    assert first_line.startswith("chat ") and len(first_line) == len("chat ") + 36
    assert '[tool call] execute({"command": "echo list the files"}) -> {"output": "list the files"}' in done.stderr


def test_ask_json_and_a_follow_up_in_the_same_chat(fake: FakeCoder) -> None:
    first = cli("ask", "one", "--json", env=env_for(fake))
    assert first.returncode == 0, first.stderr
    result = json.loads(first.stdout)
    assert result["text"] == fake.script.reply_text("one") and result["status"] == "waiting"
    assert result["tool_calls"][0]["args"] == {"command": "echo one"} and result["error"] is None
    second = cli("ask", "two", "--chat", result["chat_id"], "--json", env=env_for(fake))
    assert json.loads(second.stdout)["chat_id"] == result["chat_id"]


def test_a_failed_turn_exits_1_with_the_error(fake: FakeCoder) -> None:
    fake.script = Script(text_deltas=3, fail_with="The model provider is unavailable.")
    done = cli("ask", "doomed", env=env_for(fake))
    assert done.returncode == 1
    assert "coder-chat: the turn failed: The model provider is unavailable." in done.stderr
    assert "Traceback" not in done.stderr


def test_a_refused_token_exits_3_without_showing_it(fake: FakeCoder) -> None:
    token = "abcdefghij-abcdefghijabcdefghij12"
    done = cli("chats", env=env_for(fake, token))
    assert done.returncode == 3
    assert done.stderr.startswith("coder-chat: 401 Unauthorized")
    assert token not in done.stderr + done.stdout


def test_an_unreachable_server_exits_4(fake: FakeCoder) -> None:
    env = env_for(fake)
    env["CODER_URL"] = "http://127.0.0.1:9"  # discard: nothing listens
    done = cli("chats", env=env)
    assert done.returncode == 4 and "Traceback" not in done.stderr


def test_missing_configuration_exits_2(fake: FakeCoder, tmp_path: Path) -> None:
    env = {k: v for k, v in env_for(fake).items() if k != "CODER_URL"}
    done = cli("chats", env=env)
    assert done.returncode == 2 and "CODER_URL" in done.stderr
    token_file = tmp_path / "token"
    token_file.write_text(fake.admin_token + "\n")
    env.pop("CODER_SESSION_TOKEN")
    ok = cli("--url", fake.url, "--token-file", str(token_file), "chats", env=env)
    assert ok.returncode == 0, ok.stderr


def test_chats_lists_id_status_title(fake: FakeCoder) -> None:
    chat_id = fake.create_chat("hello there")
    fake.wait_idle(chat_id)
    done = cli("chats", env=env_for(fake))
    assert done.returncode == 0
    assert done.stdout.splitlines() == [f"{chat_id}\twaiting\thello there"]


def _interrupted(args: list[str], fake: FakeCoder, until: str) -> tuple[int, str, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "coder_chat", *args],
        env=env_for(fake),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    seen = ""
    deadline = time.monotonic() + 20
    while until not in seen and time.monotonic() < deadline:
        seen += process.stdout.readline()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=10)
    return process.returncode, seen + out, err


def wait_for(condition: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_tail_prints_deltas_statuses_and_messages_until_ctrl_c() -> None:
    with FakeCoder(script=Script(text_deltas=6, auto_run=False)) as fake:
        chat_id = fake.create_chat("tail me")

        def later() -> None:
            wait_for(lambda: fake.stream_count(chat_id) == 1)  # the command is following the chat
            fake.start_turn(chat_id)

        threading.Thread(target=later, daemon=True).start()
        code, out, err = _interrupted(["tail", chat_id], fake, "tool]")
    assert code == 130 and "Traceback" not in err
    lines = out.splitlines()
    assert lines[0] == "[status pending]" and lines[1].startswith("[message #") and lines[1].endswith(" user]")
    assert lines[2] == "[status running]"
    assert lines[3] == fake.script.reply_text("tail me")  # the deltas, then a fresh line for the message
    assert lines[4].endswith(" assistant]") and lines[5].endswith(" tool]")


def test_watch_prints_changes_until_ctrl_c(fake: FakeCoder) -> None:
    created: list[str] = []

    def later() -> None:
        wait_for(lambda: fake.watch_count() == 1)
        created.append(fake.create_chat("watched"))

    threading.Thread(target=later, daemon=True).start()
    code, out, err = _interrupted(["watch"], fake, "created")
    assert code == 130 and "Traceback" not in err
    assert out.splitlines()[0] == f"created\t{created[0]}\tpending\twatched"
