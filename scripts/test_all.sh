#!/usr/bin/env bash
# `make test-all`: the suite on every Python the package claims (requires-python >= 3.11).
#
# For .venv's interpreter (3.11 where python3.11 exists) it is `make test` itself; every other version in
# TEST_PYTHONS gets its own venv, .venv-X.Y, built on demand like .venv (the Makefile's .venv-% rule), and
# the same suite (scripts/run_tests.sh with that venv's Python where it exists, else `pytest -q`).
# `make test test-all` (what .ci/run does) runs .venv's suite once, as the `test` goal: the Makefile then
# passes --default-ran, and this script runs only the other versions.
#
# An interpreter is pythonX.Y on PATH, else the newest X.Y.* under pyenv's versions/ (PYENV_ROOT,
# `pyenv root` or ~/.pyenv). A missing one is never silently skipped: it is reported in a banner and in
# the summary, and fails the target when CI is set (CI runs with CI=true: a version the package claims
# went untested) or STRICT=1; on a developer's machine without it the target passes with the warning.
# Every version is run even after a failure; the summary lists each version's outcome and time.
#
# Environment: TEST_PYTHONS (default "3.11 3.12 3.13"), STRICT, CI, MAKE (the make that called us).
set -u
cd "$(dirname "$0")/.."

TEST_PYTHONS=${TEST_PYTHONS:-3.11 3.12 3.13}
MAKE=${MAKE:-make}
default_ran=0
[ "${1:-}" = --default-ran ] && default_ran=1

# The path of a working Python X.Y, or nothing.
find_python() {
    local version=$1 candidate
    for candidate in "$(command -v "python$version")" \
        $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$version".*/bin/python"$version" \
            "$(pyenv root 2>/dev/null)"/versions/"$version".*/bin/python"$version" 2>/dev/null | sort -V -r); do
        [ -n "$candidate" ] && "$candidate" -c 'import sys; sys.exit("%d.%d" % sys.version_info[:2] != sys.argv[1])' \
            "$version" 2>/dev/null && { echo "$candidate"; return; }
    done
}

# The suite on one venv's Python.
run_suite() {
    local python=$1
    if [ -f scripts/run_tests.sh ]; then
        bash scripts/run_tests.sh "$python"
    else
        "$python" -m pytest -q
    fi
}

version_of() { "$1" -c 'import platform; print(platform.python_version())' 2>/dev/null; }

default=$(version_of .venv/bin/python)
failed=0
missing=""
if [ $default_ran = 1 ]; then
    summary="  $default: .venv, run by the make test goal above"
else
    echo "test-all: Python $default: make test (.venv)"
    start=$(date +%s)
    if "$MAKE" --no-print-directory test; then outcome=passed; else outcome=FAILED; failed=1; fi
    summary="  $default: .venv, $outcome in $(($(date +%s) - start)) s"
fi

for v in $TEST_PYTHONS; do
    case "$default" in "$v".*) continue ;; esac
    py=$(find_python "$v")
    if [ -z "$py" ]; then
        bar='!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!'
        printf '\n%s\n%s\n%s\n\n' "$bar" "!!! test-all: no Python $v found (python$v on PATH or under pyenv): NOT TESTED" "$bar" >&2
        summary="$summary\n  $v: MISSING, not tested"
        missing="$missing $v"
        continue
    fi
    echo "test-all: Python $v: $py -> .venv-$v"
    start=$(date +%s)
    if "$MAKE" --no-print-directory ".venv-$v/.installed-stamp" VENV_PYTHON="$py" \
        && PATH="$PWD/.venv-$v/bin:$PATH" run_suite ".venv-$v/bin/python"; then
        outcome=passed
    else
        outcome=FAILED
        failed=1
    fi
    summary="$summary\n  $(version_of ".venv-$v/bin/python" || echo "$v"): .venv-$v, $outcome in $(($(date +%s) - start)) s"
done

printf "test-all summary:\n%b\n" "$summary"
strict="${STRICT:-}"
case "${CI:-}" in "" | false | 0) ;; *) strict=1 ;; esac
if [ -n "$missing" ] && [ -n "$strict" ]; then
    echo "test-all: FAILED: Python$missing missing (CI or STRICT set: every claimed version must run)" >&2
    exit 1
fi
[ $failed = 0 ] || { echo "test-all: FAILED on at least one version (see the summary)" >&2; exit 1; }
