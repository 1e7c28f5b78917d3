"""Every ```python block of README.md runs against the fake Coder and passes ``mypy --strict``.

Each block is self-contained (it builds its client with ``AuthenticatedClient.from_env()``), so it runs
as written, with ``CODER_URL`` and ``CODER_SESSION_TOKEN`` pointing at a fake server, in a fresh
interpreter. Every block runs against the fake of current Coder (v2 only), and the same code against the
experimental fake too, unless it needs one generation: the REST blocks that import
``coder_chat.client.api.v2`` and the client-side tools block (``tools=[``, whose agent calls its tools)
run on current Coder only, a block importing ``coder_chat.client.api.chats`` on the experimental API only.
The one block that shows building a client for a real deployment runs its first statement (a client to
coder.example.com, which sends nothing) as is.
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


def generations(block: str) -> list[str]:
    """The generations of the fake a README block runs against (see the module's docstring)."""
    if "tools=[" in block or "coder_chat.client.api.v2" in block:
        return ["current"]
    if "coder_chat.client.api.chats" in block:
        return ["experimental"]
    return ["current", "experimental"]


CASES = [(index, generation) for index, block in enumerate(BLOCKS) for generation in generations(block)]


@pytest.fixture(scope="module")
def fakes() -> Iterator[dict[str, FakeCoder]]:
    script = Script(text_deltas=8, delay=0.005)
    with FakeCoder(script=script) as experimental, FakeCoder(generation="current", script=script) as current:
        yield {"experimental": experimental, "current": current}


def test_the_first_example_and_the_task_level_blocks_run_on_both_generations() -> None:
    assert (0, "current") in CASES and (0, "experimental") in CASES
    assert sum(1 for _, generation in CASES if generation == "current") == len(BLOCKS)


@pytest.mark.parametrize(("index", "generation"), CASES)
def test_each_block_runs_against_the_fake(
    fakes: dict[str, FakeCoder], index: int, generation: str, tmp_path: Path
) -> None:
    fake = fakes[generation]
    path = tmp_path / f"readme_block_{index}.py"
    path.write_text(BLOCKS[index])
    if "tools=[" in BLOCKS[index]:  # the agent reads the block's own file and counts words
        calls = (DynamicCall("read_file", {"path": str(path)}), DynamicCall("word_count", {"text": "one two"}))
        fake.script = Script(text_deltas=2, dynamic_calls=calls)
    else:
        fake.script = Script(text_deltas=8, delay=0.005)
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
