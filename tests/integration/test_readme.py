"""Every ```python block of README.md runs against the fake Coder and passes ``mypy --strict``.

Each block is self-contained (it builds its client with ``AuthenticatedClient.from_env()``), so it runs
as written, with ``CODER_URL`` and ``CODER_SESSION_TOKEN`` pointing at a fake server, in a fresh
interpreter. The one block that shows building a client for a real deployment is only type-checked and
its first statement (a client to coder.example.com, which sends nothing) is run as is too. The
client-side tools block (``tools=[``) runs against a fake of current Coder whose agent calls its tools.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakecoder import DynamicCall, FakeCoder, Script

pytestmark = pytest.mark.timeout(120)

REPO = Path(__file__).resolve().parents[2]
BLOCKS = re.findall(r"^```python\n(.*?)^```", (REPO / "README.md").read_text(), flags=re.S | re.M)


def test_the_readme_has_the_blocks_this_test_expects() -> None:
    assert len(BLOCKS) >= 9
    assert "ask(client" in BLOCKS[0]  # the first example is the task-level API


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeCoder]:
    with FakeCoder(script=Script(text_deltas=8, delay=0.005)) as server:
        yield server


@pytest.fixture(scope="module")
def current_fake() -> Iterator[FakeCoder]:
    with FakeCoder(generation="current") as server:
        yield server


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_each_block_runs_against_the_fake(fake: FakeCoder, current_fake: FakeCoder, index: int, tmp_path: Path) -> None:
    path = tmp_path / f"readme_block_{index}.py"
    path.write_text(BLOCKS[index])
    if "tools=[" in BLOCKS[index]:  # the agent reads the block's own file and counts words
        calls = (DynamicCall("read_file", {"path": str(path)}), DynamicCall("word_count", {"text": "one two"}))
        current_fake.script = Script(text_deltas=2, dynamic_calls=calls)
        fake = current_fake
    env = {k: v for k, v in os.environ.items() if not k.startswith("CODER_")}
    env.update(CODER_URL=fake.url, CODER_SESSION_TOKEN=fake.admin_token, PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, str(path)], env=env, capture_output=True, text=True, timeout=100)
    assert done.returncode == 0, f"README block {index} failed:\n{BLOCKS[index]}\n{done.stderr}"
    assert "Traceback" not in done.stderr
    if "tools=[" in BLOCKS[index]:
        assert "word_count {'text': 'one two'} ->  2" in done.stdout
        assert "read_file {'path':" in done.stdout and "from pathlib import Path" in done.stdout


def test_every_block_passes_mypy_strict(tmp_path: Path) -> None:
    for index, block in enumerate(BLOCKS):
        (tmp_path / f"readme_block_{index}.py").write_text(block)
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file", os.devnull, str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=110,
    )
    assert done.returncode == 0, done.stdout + done.stderr
