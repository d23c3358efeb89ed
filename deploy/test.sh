#!/usr/bin/env bash
# Jifen: run the test suite against real PostgreSQL and Kafka.
#   deploy/test.sh [pytest args...]      e.g. deploy/test.sh tests/integration -x
# setup.sh -> (full run only: ruff + mypy) -> `python -m deploy.testrun`: PostgreSQL + Kafka up (reusing
# servers that are already running), pytest with the JIFEN_* environment, then it stops only what this
# run started -> exits with pytest's code. pytest's exit code 5 ("no tests collected") is reported as a
# failure, never turned into success.
# Killed (even with SIGKILL), this script takes the run's servers with it: deploy.testrun gets a
# parent-death signal and stops everything it and its tests started (see deploy/testrun.py).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"

bash deploy/setup.sh || exit $?

# The full run (no pytest arguments) also holds the code to the house rules: ruff and mypy clean.
if [ "$#" -eq 0 ]; then
    echo "[test] ruff check . && mypy services shared deploy benchmarks tests tools" >&2
    "$ROOT/.venv/bin/ruff" check . || exit $?
    "$ROOT/.venv/bin/mypy" services shared deploy benchmarks tests tools || exit $?
fi

# In the background and `wait`ed for, so that Ctrl-C / SIGTERM reach the trap at once (bash runs traps
# only after a foreground child ends); the trap passes them on and waits for the clean-up.
"$PY" -m deploy.testrun "$@" &
run=$!
trap 'kill -TERM "$run" 2>/dev/null' INT TERM
wait "$run"
code=$?
while kill -0 "$run" 2>/dev/null; do
    wait "$run"
    code=$?
done
exit "$code"
