#!/usr/bin/env bash
# Jifen: prepare the machine and run the whole stack in the foreground (Ctrl-C stops what it started).
#   deploy/run.sh              -> postgres, kafka, nginx, four services, the demo data; prints the
#                                 portal URL and the demo sign-ins
#   deploy/run.sh --no-demo    -> the same without demo data (or JIFEN_DEMO=0)
#   deploy/run.sh --infra-only -> postgres + kafka only, then return (left running)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash deploy/setup.sh
exec "$ROOT/.venv/bin/python" -m deploy.stack up --strict "$@"
