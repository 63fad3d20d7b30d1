#!/bin/sh
# Runs the test suite: every unit test binary, then every integration script.
# Usage: tests/run.sh BUILD_DIR [unit|integration]
# Each test runs under a time limit; the last line is "N passed, N failed".
set -u
B=${1:-build}
only=${2:-all}
root=$(cd "$(dirname "$0")/.." && pwd)
B=$(cd "$B" && pwd)
export HCPTUI_BUILD="$B" HCPTUI_ROOT="$root"
export HCPSIM="$B/hcpsim" HCPTUI="$B/hcptui"
passed=0; failed=0; failures=""
logdir=$(mktemp -d "${TMPDIR:-/tmp}/hcptui-tests.XXXXXX")

run_one() { # name, limit, command...
    name=$1; limit=$2; shift 2
    log="$logdir/$(echo "$name" | tr '/' '_').log"
    start=$(date +%s)
    if timeout -k 10 "$limit" "$@" >"$log" 2>&1; then
        passed=$((passed + 1)); echo "PASS $name ($(( $(date +%s) - start ))s)"
    else
        rc=$?
        failed=$((failed + 1)); failures="$failures $name"
        echo "FAIL $name (exit $rc, $(( $(date +%s) - start ))s); last lines:"
        tail -n 40 "$log" | sed 's/^/    /'
    fi
}

if [ "$only" != integration ]; then
    for t in "$B"/tests/test_*; do
        [ -x "$t" ] || continue
        run_one "unit/$(basename "$t")" 300 "$t"
    done
fi
if [ "$only" != unit ]; then
    for t in "$root"/tests/integration/*.sh; do
        [ -f "$t" ] || continue
        run_one "integration/$(basename "$t" .sh)" 600 sh "$t"
    done
fi
[ -n "$failures" ] && echo "failed:$failures"
echo "logs: $logdir"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
