#!/usr/bin/env bash
# Jifen: run the test suite against real PostgreSQL and Kafka.
#   deploy/test.sh [pytest args...]      e.g. deploy/test.sh tests/integration -x
# setup.sh -> (full run only: ruff + mypy) -> `stack up --infra-only` (reuses servers that are already
# running) -> pytest with the JIFEN_* environment exported -> stops only what this run started -> exits
# with pytest's code.
# pytest's exit code 5 ("no tests collected") is reported as a failure, never turned into success.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"

bash deploy/setup.sh || exit $?

# The full run (no pytest arguments) also holds the code to the house rules: ruff and mypy clean.
if [ "$#" -eq 0 ]; then
    echo "[test] ruff check . && mypy services shared deploy benchmarks tests" >&2
    "$ROOT/.venv/bin/ruff" check . || exit $?
    "$ROOT/.venv/bin/mypy" services shared deploy benchmarks tests || exit $?
fi

mkdir -p "$ROOT/.run"
RECORD="$ROOT/.run/test-started.$$.json"
cleanup() {
    "$PY" -m deploy.stack down --record "$RECORD" || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$PY" -m deploy.stack up --infra-only --record "$RECORD" || exit $?
# (not `eval "$(...)" || exit`: eval of a failed substitution's empty output would succeed)
env_lines="$("$PY" -m deploy.stack env)" || exit $?
eval "$env_lines"

"$PY" -m pytest "$@"
code=$?
if [ "$code" -eq 5 ]; then
    echo "[test] pytest collected no tests (exit 5): treated as a failure" >&2
fi
exit "$code"
