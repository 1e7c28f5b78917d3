"""The programs behind ``make test-all`` and ``make wheel-check`` (``scripts/``), on stand-ins.

``scripts/test_all.sh`` runs here in a scratch directory whose Makefile, interpreters and
``scripts/run_tests.sh`` are stand-ins that record what they were asked to do: no suite runs. The
wheel check's own helpers (which directories must hold ``py.typed``, which errors the rejected script
must get) are tested on a small tree; ``make wheel-check`` itself runs the whole check.
"""

from __future__ import annotations

import importlib.util
import platform
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]

FAKE_MAKEFILE = """\
test:
\t@echo "FAKE make test"; exit $(TEST_STATUS)
.venv-%/.installed-stamp:
\t@mkdir -p .venv-$*/bin && ln -sf $(VENV_PYTHON) .venv-$*/bin/python && touch $@
"""

# An interpreter that claims to be Python 3.98 (enough for test_all.sh's version checks).
FAKE_PYTHON = """\
#!/bin/sh
case "$2" in *version_info*) [ "$3" = 3.98 ]; exit $? ;; *platform*) echo 3.98.1; exit 0 ;; esac
exit 0
"""

FAKE_RUN_TESTS = """\
echo "FAKE run_tests.sh $1"
exit ${SUITE_STATUS:-0}
"""


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "test_all.sh").write_text((ROOT / "scripts" / "test_all.sh").read_text())
    (tmp_path / "scripts" / "run_tests.sh").write_text(FAKE_RUN_TESTS)
    (tmp_path / "Makefile").write_text(FAKE_MAKEFILE)
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "python").symlink_to(sys.executable)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "python3.98"
    fake.write_text(FAKE_PYTHON)
    fake.chmod(0o755)
    return tmp_path


def _test_all(scratch: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        "PATH": f"{scratch / 'bin'}:/usr/bin:/bin",
        "HOME": str(scratch),  # no pyenv here: a version is found on PATH or not at all
        "PYENV_ROOT": str(scratch / "no-pyenv"),
        "TEST_STATUS": "0",
        "MAKE": "make",
        **env,
    }
    return subprocess.run(
        ["bash", "scripts/test_all.sh", *args],
        cwd=scratch,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _version() -> str:
    return platform.python_version()


def _summary(stdout: str) -> list[str]:
    """The summary's lines, each run's time (whole seconds) as N."""
    lines = stdout.splitlines()
    return [re.sub(r"in \d+ s$", "in N s", line) for line in lines[lines.index("test-all summary:") + 1 :]]


def test_test_all_runs_make_test_then_each_other_version_and_sums_up(scratch: Path) -> None:
    done = _test_all(scratch, TEST_PYTHONS=f"{sys.version_info[0]}.{sys.version_info[1]} 3.98")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:2] == [f"test-all: Python {_version()}: make test (.venv)", "FAKE make test"]
    assert f"test-all: Python 3.98: {scratch / 'bin' / 'python3.98'} -> .venv-3.98" in lines
    assert "FAKE run_tests.sh .venv-3.98/bin/python" in lines
    assert _summary(done.stdout) == [f"  {_version()}: .venv, passed in N s", "  3.98.1: .venv-3.98, passed in N s"]


def test_test_all_skips_the_default_suite_when_make_test_ran_it(scratch: Path) -> None:
    done = _test_all(scratch, "--default-ran", TEST_PYTHONS="3.98")
    assert done.returncode == 0, done.stderr
    assert "FAKE make test" not in done.stdout
    assert _summary(done.stdout) == [
        f"  {_version()}: .venv, run by the make test goal above",
        "  3.98.1: .venv-3.98, passed in N s",
    ]


def test_test_all_runs_every_version_after_a_failure_and_fails(scratch: Path) -> None:
    done = _test_all(scratch, TEST_PYTHONS="3.98", TEST_STATUS="1")
    assert done.returncode == 1
    assert "FAKE run_tests.sh .venv-3.98/bin/python" in done.stdout  # still run after make test failed
    assert _summary(done.stdout) == [f"  {_version()}: .venv, FAILED in N s", "  3.98.1: .venv-3.98, passed in N s"]
    assert done.stderr.strip().endswith("test-all: FAILED on at least one version (see the summary)")
    failed_suite = _test_all(scratch, "--default-ran", TEST_PYTHONS="3.98", SUITE_STATUS="3")
    assert failed_suite.returncode == 1
    assert _summary(failed_suite.stdout)[1] == "  3.98.1: .venv-3.98, FAILED in N s"


@pytest.mark.parametrize(
    ("env", "status"),
    [({}, 0), ({"STRICT": "1"}, 1), ({"CI": "true"}, 1), ({"CI": "false"}, 0)],
)
def test_a_missing_version_is_never_silent_and_fails_under_ci_or_strict(
    scratch: Path, env: dict[str, str], status: int
) -> None:
    done = _test_all(scratch, "--default-ran", TEST_PYTHONS="3.97", **env)
    assert done.returncode == status
    assert "!!! test-all: no Python 3.97 found (python3.97 on PATH or under pyenv): NOT TESTED" in done.stderr
    assert _summary(done.stdout)[1] == "  3.97: MISSING, not tested"
    if status:
        assert "test-all: FAILED: Python 3.97 missing (CI or STRICT set: every claimed version must run)" in done.stderr


def _wheel_check() -> ModuleType:
    spec = importlib.util.spec_from_file_location("wheel_check", ROOT / "scripts" / "wheel_check.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_directory_holding_a_module_is_a_package_that_needs_its_marker(tmp_path: Path) -> None:
    wheel_check = _wheel_check()
    root = tmp_path / "coder_chat"
    for path in ["_cli.py", "py.typed", "client/__init__.py", "client/py.typed", "client/api/chats/x.py"]:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).touch()
    (root / "client" / "api" / "__pycache__").mkdir()
    (root / "client" / "api" / "__pycache__" / "x.py").touch()  # not a package
    (root / "data").mkdir()  # no module: not a package
    packages, unmarked = wheel_check.packages_without_marker([root])
    assert packages == [root, root / "client", root / "client" / "api" / "chats"]
    assert unmarked == [root / "client" / "api" / "chats"]


def test_the_rejected_script_names_each_error_it_must_get() -> None:
    wheel_check = _wheel_check()
    expected = wheel_check.expected_errors(ROOT / "scripts" / "typing" / "rejected.py")
    codes = sorted(code for _, code in expected)
    assert codes == ["arg-type", "arg-type", "attr-defined", "call-arg"]
