"""The producer side's relay, in its own OS process: ``python -m tests.faults.relay_proc``.

Configured by ``JIFEN_FAULT_CONFIG`` (a ``ProcConfig``). Writes its counters to the status file
every 100 ms, so a test can watch it and then kill it with SIGKILL.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
from typing import Any

import anyio

from shared.platform.db import close_application, open_application
from shared.platform.kafka import make_producer
from shared.platform.outbox import OutboxRelay, run_relay
from tests.faults.support import (
    CONFIG_VAR,
    FaultSource,
    ProcConfig,
    fault_relay,
    make_mapper,
    write_status,
)


async def main() -> None:
    config = ProcConfig.loads(os.environ[CONFIG_VAR])
    settings = config.settings("applications")
    app = await open_application(FaultSource, settings, config.overrides())

    def new_relay() -> OutboxRelay:
        relay = fault_relay(
            settings,
            config.schema,
            app,
            mapper=make_mapper(config.topic),
            producer_factory=lambda: make_producer(config.kafka_bootstrap, client_id="faultsrc-relay"),
            batch_size=config.batch_size,
            poll_interval=0.5,
            lock_retry_interval=0.2,
        )
        if config.reset:
            relay.position.reset()
        if config.record_delay:
            record = relay.position.record

            def slow_record(notification_id: int) -> None:
                time.sleep(config.record_delay)
                record(notification_id)

            relay.position.record = slow_record  # type: ignore[method-assign]
        return relay

    relay = await anyio.to_thread.run_sync(new_relay)

    def status(**extra: Any) -> dict[str, Any]:
        stats = relay.stats
        return {
            "pid": os.getpid(), "leader": stats.leader, "published": stats.published,
            "notifications": stats.notifications, "batches": stats.batches,
            "position": stats.position, "publish_failures": stats.publish_failures,
            "producer_restarts": stats.producer_restarts, **extra,
        }

    async def report() -> None:
        while True:
            write_status(config.status_file, status())
            await asyncio.sleep(0.1)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    try:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(run_relay, relay)
            tasks.start_soon(report)
            await stop.wait()
            tasks.cancel_scope.cancel()
    finally:
        with anyio.CancelScope(shield=True):
            write_status(config.status_file, status(leader=False, stopped=True))
            await close_application(app)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s relay[%(process)d] %(name)s %(message)s")
    asyncio.run(main())
