"""The accounts worker in its own OS process, on a throw-away schema and the test bus's topics:
``python -m tests.faults.accounts_worker_proc`` (configured by ``JIFEN_FAULT_ACCOUNTS``, a JSON object
with ``schema``, ``topics``, ``group_id`` and ``environ``), so a test can SIGKILL it."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal

from services.accounts.app import SERVICE
from shared.platform.kit import run_worker
from shared.platform.settings import Settings

CONFIG_VAR = "JIFEN_FAULT_ACCOUNTS"


async def main() -> None:
    config = json.loads(os.environ[CONFIG_VAR])
    settings = Settings.from_env("accounts", {**os.environ, **config["environ"]})
    worker = asyncio.create_task(
        run_worker(
            SERVICE,
            settings,
            overrides={"POSTGRES_SCHEMA": config["schema"]},
            group_id=config["group_id"],
            topics=config["topics"],
            follower_options={"poll_interval": 0.2, "max_backoff": 1.0},
        )
    )
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, worker.cancel)
    await asyncio.gather(worker, return_exceptions=True)


if __name__ == "__main__":
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s accounts-worker[%(process)d] %(name)s %(message)s"
    )
    asyncio.run(main())
