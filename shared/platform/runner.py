"""``python -m services.<name> [web|worker|all]``: one process runs the web app, the worker, or both.

- ``web``: uvicorn on ``settings.http_host:http_port`` serving ``create_app(settings)``.
- ``worker``: ``await run_worker(settings)`` (outbox relay, subscribers, projections) until cancelled.
- ``all`` (default): both, concurrently, in one event loop.

SIGINT/SIGTERM stop both cleanly: uvicorn finishes in-flight requests and runs the lifespan teardown,
the worker task is cancelled (and closes its relay and application). If either part ends on its own
(a crash, or the port is taken) the other is stopped too and the exit status is 1, so a supervisor
sees the failure instead of a half-running service.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import Callable, Coroutine, Generator
from typing import Any

import uvicorn
from litestar import Litestar

from shared.platform.logging import configure_logging
from shared.platform.settings import Settings

MODES = ("web", "worker", "all")

AppFactory = Callable[[Settings], Litestar]
WorkerMain = Callable[[Settings], Coroutine[Any, Any, None]]

MAX_HEADER_BYTES = 64 * 1024
"""Request line and headers together. The gateway passes at most 4 x 8 KiB header buffers; more here is
a client talking to the service port directly (httptools, uvicorn's default parser, has no limit)."""

logger = logging.getLogger("jifen.runner")


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: ``run_service`` owns SIGINT/SIGTERM for both parts."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def _web_server(settings: Settings, app: Litestar) -> _Server:
    config = uvicorn.Config(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,  # our JSON logging (configured in main) handles uvicorn's loggers too
        access_log=False,  # the app writes one access line per request, with the request id
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
        server_header=False,
        timeout_graceful_shutdown=10,
        lifespan="on",
        http="h11",
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
    )
    return _Server(config)


async def run_service(
    settings: Settings, *, mode: str, create_app: AppFactory, run_worker: WorkerMain
) -> int:
    """Run ``mode`` until a signal (exit status 0) or until a part stops by itself (exit status 1)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    server: _Server | None = None
    parts: dict[str, asyncio.Task[None]] = {}
    if mode in ("web", "all"):
        server = _web_server(settings, create_app(settings))
        parts["web"] = asyncio.create_task(server.serve(), name="web")
    if mode in ("worker", "all"):
        parts["worker"] = asyncio.create_task(run_worker(settings), name="worker")
    logger.info(
        "service starting",
        extra={"mode": mode, "host": settings.http_host, "port": settings.http_port, "pid": os.getpid()},
    )

    stopper = asyncio.create_task(stop.wait(), name="signals")
    done, _ = await asyncio.wait([*parts.values(), stopper], return_when=asyncio.FIRST_COMPLETED)
    by_signal = stopper in done
    for name, task in parts.items():
        if task in done and not task.cancelled() and (exc := task.exception()) is not None:
            logger.error("%s stopped with an error", name, exc_info=exc)
        elif task in done:
            logger.error("%s stopped unexpectedly", name)

    if server is not None:
        server.should_exit = True
    if (worker := parts.get("worker")) is not None:
        worker.cancel()
    await asyncio.gather(*parts.values(), return_exceptions=True)
    stopper.cancel()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.remove_signal_handler(sig)
    logger.info("service stopped", extra={"mode": mode, "by_signal": by_signal})
    return 0 if by_signal else 1


def main(service: str, create_app: AppFactory, run_worker: WorkerMain, argv: list[str] | None = None) -> int:
    """Entry point for ``services/<name>/__main__.py``."""
    parser = argparse.ArgumentParser(prog=f"python -m services.{service}")
    parser.add_argument("mode", nargs="?", default="all", choices=MODES, help="what to run (default: all)")
    args = parser.parse_args(argv)
    configure_logging(service, os.environ.get("JIFEN_LOG_LEVEL", "INFO").upper())
    settings = Settings.from_env(service)
    return asyncio.run(run_service(settings, mode=args.mode, create_app=create_app, run_worker=run_worker))
