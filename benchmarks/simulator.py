"""Benchmark: requests per second of the simulator API next to a bare Litestar JSON endpoint.

    .venv/bin/python -m benchmarks.simulator [--seconds 2] [--repeat 9] [--connections 16]

Two servers, started by this script as child processes with the same uvicorn settings (one worker,
no access log, uvloop and httptools when installed):

* the applications service's own app (``create_app``: every middleware, guard, problem handler and
  header the service has), measured three ways:
  - *simulator, repeated answers*: ``POST /api/applications/simulator`` with 200 answer sets taken in
    turn; after the first round each is served from the answer cache (same answers, same answer);
  - *simulator, distinct answers*: the same endpoint with 40,000 answer sets that never repeat within
    a run, so each request is a full read, check, calculation, narration and JSON encoding;
  - *service info*: ``GET /api/applications/``, the service's most trivial JSON endpoint: what the
    service's own middleware costs before any simulator work (the ceiling for the ratio);
* *bare*: a Litestar app with one ``POST`` handler that decodes the same JSON bodies and answers a
  two-field JSON object.

A small asyncio HTTP/1.1 client keeps ``--connections`` keep-alive connections busy for ``--seconds``
against each target in turn, ``--repeat`` rounds (short, many rounds: the machine is shared, and
alternating often spreads its changing load over all targets alike); the medians are compared with
bare. Goal: simulator / bare >= 0.5. Needs no PostgreSQL or Kafka (the simulator reads neither).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PATHS = {"simulator": "/api/applications/simulator", "bare": "/bare"}
SERVICE_INFO = b"GET /api/applications/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
EDUCATION = ["college_diploma", "undergraduate_no_degree", "bachelor", "master", "doctorate", None]
TITLES = ["skill_level_4", "skill_level_3", "intermediate_title", "senior_title", None, None]


def answer_sets(n: int, seed: int = 20250616) -> list[dict[str, Any]]:
    """``n`` varied, valid and distinct answer sets (months paid always cover the months in the band)."""
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    while len(out) < n:
        base_months = rng.choice([0, 12, 24, 36, 40, 48])
        answers: dict[str, Any] = {
            "assessment_date": f"{rng.choice([2019, 2022, 2025, 2026])}-06-16",
            "birth_date": f"{rng.randint(1968, 2001)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "months_paid": base_months + rng.randint(0, 120),
            "base_band": rng.choice(["0.8", "1", "2"]) if base_months else None,
            "base_months": base_months,
            "education": rng.choice(EDUCATION),
            "title": rng.choice(TITLES),
            "fresh_graduate": rng.random() < 0.1,
        }
        if rng.random() < 0.5:
            answers.update(spouse_shanghai_hukou=True, married_on=f"{rng.randint(2005, 2018)}-05-01")
        if rng.random() < 0.2:
            answers.update(key_area=rng.choice(["lingang", "other"]), key_area_years=rng.randint(0, 12))
        if rng.random() < 0.1:
            answers.update(award=rng.choice(["municipal_special", "municipal_comprehensive"]))
        if rng.random() < 0.05:
            answers.update(investment_share=rng.randint(10, 100), investment_tax_yuan=rng.randint(0, 900_000))
        kept = {k: v for k, v in answers.items() if v is not None}
        key = json.dumps(kept, sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(kept)
    return out


# --------------------------------------------------------------------------- the two servers


def bare_app() -> Any:
    from litestar import Litestar, post
    from litestar.params import JSONBody

    @post("/bare", status_code=200)
    async def bare(data: JSONBody[dict[str, Any]]) -> dict[str, Any]:
        return {"ok": True, "fields": len(data)}

    return Litestar([bare])


def simulator_app() -> Any:
    from services.applications.app import create_app
    from shared.platform.auth import TokenVerifier
    from shared.platform.kit import MEMORY
    from shared.platform.settings import Settings

    run_dir = Path(os.environ.get("JIFEN_BENCH_RUN_DIR", "/tmp/jifen-bench"))
    return create_app(
        Settings(service="applications", run_dir=run_dir),
        persistence=MEMORY,  # the simulator reads no stored events
        token_verifier=TokenVerifier(None),
        csrf_secret="b" * 32,
        open_db_pool=False,
        readiness_checks={},
    )


def serve(which: str, port: int) -> None:
    import uvicorn

    app = simulator_app() if which == "simulator" else bare_app()
    uvicorn.run(app, host="127.0.0.1", port=port, workers=1, access_log=False, log_level="warning")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(which: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.simulator", "--serve", which, "--port", str(port)], cwd=REPO
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"the {which} server did not start")


# --------------------------------------------------------------------------- the load


def requests_for(path: str, port: int, bodies: list[bytes]) -> list[bytes]:
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
    return [f"{head}Content-Length: {len(b)}\r\n\r\n".encode() + b for b in bodies]


async def connection(port: int, requests: list[bytes], until: float, offset: int, counts: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = offset
    try:
        while time.perf_counter() < until:
            writer.write(requests[i % len(requests)])
            i += 1
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            if status != 200:
                raise SystemExit(f"unexpected status {status}")
            counts[0] += 1
    finally:
        writer.close()


async def load(port: int, requests: list[bytes], seconds: float, connections: int) -> float:
    warm = time.perf_counter() + 1.0
    await asyncio.gather(*(connection(port, requests, warm, k * 7, [0]) for k in range(connections)))
    counts = [0]
    start_at = time.perf_counter()
    until = start_at + seconds
    await asyncio.gather(*(connection(port, requests, until, k * 7, counts) for k in range(connections)))
    return counts[0] / (time.perf_counter() - start_at)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--serve", choices=sorted(PATHS), help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return

    repeated = [json.dumps(a, ensure_ascii=False).encode() for a in answer_sets(200)]
    distinct = [json.dumps(a, ensure_ascii=False).encode() for a in answer_sets(40_000, seed=7)]
    servers = {which: start(which) for which in PATHS}
    sim_port, bare_port = servers["simulator"][1], servers["bare"][1]
    targets = {
        "simulator, repeated answers": (sim_port, requests_for(PATHS["simulator"], sim_port, repeated)),
        "simulator, distinct answers": (sim_port, requests_for(PATHS["simulator"], sim_port, distinct)),
        "service info (no simulator work)": (sim_port, [SERVICE_INFO]),
        "bare Litestar": (bare_port, requests_for(PATHS["bare"], bare_port, repeated)),
    }
    rates: dict[str, list[float]] = {name: [] for name in targets}
    try:
        for round_ in range(args.repeat):
            for name, (port, requests) in targets.items():
                # distinct answers: each round starts further on, so no answer is ever asked twice
                offset = round_ * len(requests) // args.repeat if name.endswith("distinct answers") else 0
                rate = asyncio.run(
                    load(port, requests[offset:] + requests[:offset], args.seconds, args.connections)
                )
                rates[name].append(rate)
                print(f"  {name:34} {rate:8.0f} requests/s")
    finally:
        for process, _ in servers.values():
            process.terminate()
            process.wait(timeout=10)
    bare = statistics.median(rates["bare Litestar"])
    print(
        f"medians of {args.repeat} runs of {args.seconds:g} s, "
        f"{args.connections} connections, {os.cpu_count()} CPUs:"
    )
    for name in targets:
        median = statistics.median(rates[name])
        print(f"  {name:34} {median:8.0f} requests/s   ratio to bare {median / bare:.2f}")
    print("goal: simulator / bare >= 0.5")


if __name__ == "__main__":
    main()
