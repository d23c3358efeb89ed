#!/usr/bin/env bash
# Jifen: prepare this machine to run the stack and the tests (fresh Debian 12 or CI, as root).
# Idempotent and fast when everything is already there (no network on a warm machine):
#   1. apt-get install (only what is missing; `apt-get update` at most once)
#   2. .venv + `pip install -e '.[test]'` (skipped while pyproject.toml's hash is unchanged)
#   3. Kafka broker jars from Maven Central into .run/kafka/libs (skipped while pom.xml is unchanged)
#   4. npm ci: axe-core for the browser tests (skipped while package-lock.json is unchanged)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUN_DIR="$ROOT/.run"
mkdir -p "$RUN_DIR"

log() { printf '[setup] %s\n' "$*" >&2; }

# ---------------------------------------------------------------- 1. system packages
missing=()
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
have_pg_server() { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null; }

have_pg_server || missing+=(postgresql)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
pkg_installed fonts-noto-cjk || missing+=(fonts-noto-cjk)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v runuser >/dev/null 2>&1 || missing+=(util-linux)
if [ ! -x "$ROOT/.venv/bin/python" ]; then
    python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
fi

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        log "missing system packages: ${missing[*]} (run this script as root, or install them)"
        exit 1
    fi
    log "installing: ${missing[*]}"
    # Packages must not start their own daemons (Debian's nginx on :80, a 'main' PG cluster):
    # this project runs private instances. policy-rc.d 101 = "action forbidden".
    own_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        own_policy=1
    fi
    trap '[ "$own_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if [ "$own_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; own_policy=0; fi
fi

# ---------------------------------------------------------------- 2. Python venv
if [ ! -x "$ROOT/.venv/bin/python" ]; then
    log "creating .venv"
    python3 -m venv "$ROOT/.venv"
fi
stamp="$ROOT/.venv/.jifen-pyproject.sha256"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
    log "pip install -e '.[test]'"
    "$ROOT/.venv/bin/python" -m pip install -q --disable-pip-version-check -e '.[test]'
    printf '%s\n' "$want" > "$stamp"
fi

# ---------------------------------------------------------------- 3. Kafka jars
libs="$RUN_DIR/kafka/libs"
kstamp="$libs/.pom.sha256"
kwant="$(sha256sum deploy/kafka/pom.xml | cut -d' ' -f1)"
if [ "$(cat "$kstamp" 2>/dev/null || true)" != "$kwant" ]; then
    log "fetching Kafka broker jars (Maven Central) into .run/kafka/libs"
    rm -rf "$libs"
    mkdir -p "$libs"
    mvn -B -q -f deploy/kafka/pom.xml dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$libs"
    ls "$libs"/kafka_2.13-*.jar "$libs"/log4j-slf4j-impl-*.jar >/dev/null
    printf '%s\n' "$kwant" > "$kstamp"
fi

# ---------------------------------------------------------------- 4. npm (test tools: axe-core)
nstamp="$ROOT/node_modules/.jifen-package-lock.sha256"
nwant="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ "$(cat "$nstamp" 2>/dev/null || true)" != "$nwant" ]; then
    command -v npm >/dev/null 2>&1 || { log "npm is missing (install Node.js and npm)"; exit 1; }
    log "npm ci (axe-core for the browser tests' accessibility checks)"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
    printf '%s\n' "$nwant" > "$nstamp"
fi

log "ok"
