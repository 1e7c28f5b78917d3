"""``python -m examples.tools`` runs against the current-Coder fake: the agent reads a file and asks for
approval, which the test gives on stdin; both results reach the chat, in one submission."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakecoder import DynamicCall, FakeCoder, Script
from tests.integration.conftest import SPEC

pytestmark = pytest.mark.timeout(90)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake() -> Iterator[FakeCoder]:
    calls = (
        DynamicCall("read_file", {"path": "notes.txt"}),
        DynamicCall("ask_approval", {"action": "upgrade httpx"}),
        DynamicCall("read_file", {"path": "../secret.txt"}),
    )
    with FakeCoder(
        generation="current", validate_spec_path=SPEC, script=Script(text_deltas=2, dynamic_calls=calls)
    ) as server:
        yield server
    assert server.spec_violations == []


@pytest.mark.parametrize(("answer", "approved"), [("y", True), ("no", False)])
def test_the_tools_example_runs_and_asks_at_the_terminal(
    fake: FakeCoder, tmp_path: Path, answer: str, approved: bool
) -> None:
    (tmp_path / "notes.txt").write_text("httpx is two versions behind\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CODER_")}
    env.update(CODER_URL=fake.url, CODER_SESSION_TOKEN=fake.member_token, PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "-m", "examples.tools", "What should I upgrade?"],
        cwd=tmp_path,
        env=env,
        input=f"{answer}\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "The agent wants to: upgrade httpx" in done.stdout and "Approve? [y/N]" in done.stdout
    (chat,) = fake.state.chats.values()
    results = [
        (part["result"], part.get("is_error", False))
        for message in chat.messages
        if message["role"] == "tool"
        for part in message["content"]
    ]
    outside = f"PermissionError: ../secret.txt is outside {tmp_path.resolve()}"
    assert results == [
        ("httpx is two versions behind\n", False),
        ({"approved": approved, "answer": answer}, False),
        (outside, True),
    ]
    assert "[tool call] ask_approval({'action': 'upgrade httpx'}) -> {'approved': " in done.stdout
    assert "[waiting:" in done.stdout
