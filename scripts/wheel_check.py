"""``make wheel-check``: build the wheel and check what a user gets from a plain ``pip install`` of it.

The wheel is installed, without extras, into a brand-new venv (``--python``: the interpreter that builds
it). Then, outside the repository:

1. both halves of ``coder_chat`` import; a REST body and a stream frame are read without msgspec (the
   ``fast`` extra), with the standard library's JSON;
2. every package of the installed tree (each directory holding a module) carries ``py.typed``: without
   it a type checker sees the package as ``Any`` (PEP 561);
3. ``mypy --strict`` reads the installed wheel (``--python-executable`` of the new venv, no MYPYPATH, no
   project config): ``scripts/typing/accepted.py``, a user's script, must pass; ``scripts/typing/rejected.py``
   must be rejected with exactly the errors its ``# expect: <code>`` comments name (a check that passes,
   or fails for another reason such as a missing module, fails the target).

Run with the project venv's Python (for pip's wheel build and mypy); exits 1 on the first failed check.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TYPING = ROOT / "scripts" / "typing"

# Run by the new venv's Python, in the temporary directory: what a plain `pip install coder-chat` gives.
IMPORT_CHECK = r"""
import importlib.util

import httpx

import coder_chat.client
import coder_chat.client.api.chats.get_chat
import coder_chat.streaming
from coder_chat._runtime import speedups
from coder_chat.client import AuthenticatedClient, types
from coder_chat.streaming import decode_frame

assert importlib.util.find_spec("msgspec") is None, "msgspec is installed: the venv is not extras-free"
assert not speedups.available and not speedups.enabled
assert types.json_body(httpx.Response(200, content=b'{"a":[1,2.5]}')) == {"a": [1, 2.5]}
frame = (
    b'[{"type":"message_part","chat_id":"6f1c1b1e-8c43-4d0e-9a57-0b8a5c3f2d11",'
    b'"message_part":{"role":"assistant","part":{"type":"text","text":"hi"}}}]'
)
[event] = decode_frame(frame)
assert event.message_part.part.text == "hi"
assert AuthenticatedClient.__module__ == "coder_chat.client"
print("imports:", coder_chat.client.__file__, coder_chat.streaming.__file__)
"""

# Prints every directory of the installed coder_chat tree (the namespace's portions, walked down).
TREE = r"""
import coder_chat
for portion in coder_chat.__path__:
    print(portion)
"""

_ERROR = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): error: .*\[(?P<code>[a-z-]+)\]$")
_EXPECT = re.compile(r"#\s*expect:\s*(?P<code>[a-z-]+)")


# Nothing from the caller's environment may point Python or mypy at the source tree.
CLEAN_ENV = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "MYPYPATH")}


def run(command: list[str | Path], cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True, env=CLEAN_ENV)
    if check and result.returncode != 0:
        fail(f"{' '.join(map(str, command))} exited {result.returncode}:\n{result.stdout}{result.stderr}")
    return result


def say(message: str) -> None:
    print(f"wheel-check: {message}", flush=True)


def fail(message: str) -> None:
    print(f"wheel-check: FAILED: {message}", file=sys.stderr, flush=True)
    raise SystemExit(1)


def packages_without_marker(roots: list[Path]) -> tuple[list[Path], list[Path]]:
    """(every package directory under ``roots``, those without ``py.typed``); a package holds a module."""
    packages = sorted({path.parent for root in roots for path in root.rglob("*.py") if "__pycache__" not in path.parts})
    return packages, [package for package in packages if not (package / "py.typed").is_file()]


def expected_errors(script: Path) -> set[tuple[int, str]]:
    return {
        (number, match["code"])
        for number, line in enumerate(script.read_text().splitlines(), start=1)
        if (match := _EXPECT.search(line))
    }


def mypy(venv_python: Path, work: Path, script: Path) -> tuple[int, set[tuple[int, str]], str]:
    """``mypy --strict`` of ``script`` (copied into ``work``) against the venv's installed packages:
    (exit status, the (line, code) of each error, the output). Fails when mypy read any ``coder_chat``
    module from somewhere else than the venv."""
    target = work / script.name
    target.write_text(script.read_text())
    config = work / "mypy.ini"
    config.write_text("[mypy]\n")  # no project or user configuration
    result = run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--config-file",
            config,
            "--cache-dir",
            work / f".mypy_cache-{script.stem}",  # a cold cache: the log lists every module read
            "--python-executable",
            venv_python,
            "--verbose",
            target.name,
        ],
        cwd=work,
        check=False,
    )
    venv = venv_python.parent.parent
    read = re.findall(r"Parsing (\S+) \((coder_chat[\w.]*)\)", result.stderr)
    if not read:
        fail(f"mypy read no coder_chat module for {script.name}:\n{result.stdout}")
    elsewhere = [path for path, _ in read if not Path(path).resolve().is_relative_to(venv.resolve())]
    if elsewhere:
        fail(f"mypy read coder_chat from outside the new venv: {elsewhere[:3]}")
    errors = {
        (int(match["line"]), match["code"])
        for line in result.stdout.splitlines()
        if (match := _ERROR.match(line)) and Path(match["file"]).name == script.name
    }
    return result.returncode, errors, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable, help="the interpreter of the new venv")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="wheel-check-") as name:
        tmp = Path(name)
        run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", tmp / "dist", ROOT], ROOT)
        [wheel] = (tmp / "dist").glob("*.whl")
        run([args.python, "-m", "venv", tmp / "venv"], tmp)
        python = tmp / "venv" / "bin" / "python"
        run([python, "-m", "pip", "install", "--quiet", wheel], tmp)
        say(f"{wheel.name} installed (no extras) in a new venv")

        say(run([python, "-c", IMPORT_CHECK], tmp).stdout.strip())

        roots = [Path(line) for line in run([python, "-c", TREE], tmp).stdout.split()]
        packages, unmarked = packages_without_marker(roots)
        if len(packages) < 4:  # coder_chat, client, streaming, _runtime at least: the walk went wrong
            fail(f"found only {len(packages)} packages under {roots}")
        if unmarked:
            names = ", ".join(str(package.relative_to(roots[0].parent)) for package in unmarked)
            fail(f"packages without py.typed (a type checker sees them as Any): {names}")
        say(f"py.typed in all {len(packages)} packages")

        work = tmp / "typing"
        work.mkdir()
        status, errors, output = mypy(python, work, TYPING / "accepted.py")
        if status != 0 or errors:
            fail(f"mypy --strict rejects the user script accepted.py:\n{output}")
        say("mypy --strict accepts scripts/typing/accepted.py against the installed wheel")

        rejected = TYPING / "rejected.py"
        status, errors, output = mypy(python, work, rejected)
        expected = expected_errors(rejected)
        if status == 0:
            fail("mypy --strict accepts scripts/typing/rejected.py, which must be rejected")
        if errors != expected:
            fail(
                f"mypy --strict rejects rejected.py, but not with the expected errors\n"
                f"  expected (line, code): {sorted(expected)}\n  got: {sorted(errors)}\n{output}"
            )
        say(f"mypy --strict rejects scripts/typing/rejected.py with its {len(expected)} expected errors")
    say("ok")


if __name__ == "__main__":
    main()
