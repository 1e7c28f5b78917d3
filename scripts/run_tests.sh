#!/usr/bin/env bash
# The suite with one Python: scripts/run_tests.sh PYTHON [PYTEST ARGS...] (`make test` runs it with
# .venv's Python; scripts/test_all.sh with each other version's). Two passes of pytest, each given the
# same PYTEST ARGS (paths, -k, -x, ...; not -m, which each pass sets):
#   1. the tests marked `serial`, one at a time: they measure time or rely on it (bounded waits, idle
#      timeouts, pings, load, the benchmarks' smoke run), which a busy neighbour would skew;
#   2. every other test in parallel (pytest-xdist), one worker per core (TEST_WORKERS overrides: a
#      number, or `auto`).
# The serial pass runs first, so that the last line printed is the parallel pass's summary
# (`N passed in ...s`), the bulk of the suite. A pass that selects no test (pytest's exit status 5: a -k
# or a path that only matches the other group) is not a failure; the script exits 5 only when neither
# pass ran a test, and otherwise non-zero when either pass failed.
set -uo pipefail
if [ $# -lt 1 ]; then
	echo "usage: scripts/run_tests.sh PYTHON [PYTEST ARGS...]" >&2
	exit 2
fi
python=$1
shift

workers=${TEST_WORKERS:-auto}
echo "run_tests.sh: the tests marked serial, one at a time"
"$python" -m pytest -q -m serial "$@"
serial=$?
echo "run_tests.sh: every other test, in parallel (-n $workers)"
"$python" -m pytest -q -m "not serial" -n "$workers" --dist worksteal "$@"
parallel=$?

if [ "$serial" = 5 ] && [ "$parallel" = 5 ]; then exit 5; fi
for status in "$serial" "$parallel"; do
	case $status in 0 | 5) ;; *) exit "$status" ;; esac
done
exit 0
