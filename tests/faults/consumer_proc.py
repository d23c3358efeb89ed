"""The consumer side, in its own OS process: ``python -m tests.faults.consumer_proc``.

A FastStream ``KafkaBroker`` with the inbox subscriber (NACK_ON_ERROR, explicit group, earliest)
applying upstream events to ``FaultSink`` in a throw-away schema. Counters go to the status file
every 100 ms; an ``OutOfOrder`` is counted as ``order_violations`` so the test fails fast.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
from typing import Any

import anyio
from eventsourcing.persistence import Tracking

from shared.platform.db import close_application, open_application
from shared.platform.inbox import Inbox, ProjectionProcessor, broker_dead_letter, subscribe
from shared.platform.kafka import make_broker
from tests.faults.support import CONFIG_VAR, FaultSink, OutOfOrder, ProcConfig, resolve, write_status


class CountingProcessor(ProjectionProcessor):
    def __init__(self, projection: Any, stall_after: int) -> None:
        super().__init__(projection)
        self.order_violations = 0
        self.applied = 0
        self.stall_after = stall_after
        self.stalled = False

    def process_event(self, event: Any, tracking: Tracking, /) -> None:
        try:
            super().process_event(event, tracking)
        except OutOfOrder:
            self.order_violations += 1
            raise
        self.applied += 1
        if self.stall_after and self.applied >= self.stall_after:
            # The effect and its tracking row are committed; the Kafka offset is not. Hang here
            # until the test kills the process.
            self.stalled = True
            time.sleep(3600)


async def main() -> None:
    config = ProcConfig.loads(os.environ[CONFIG_VAR])
    settings = config.settings("review")
    sink = await open_application(FaultSink, settings, config.overrides())
    processor = CountingProcessor(sink, config.stall_after)
    broker = make_broker(settings, client_id="faultsink")
    inbox = Inbox("faultsink", processor, broker_dead_letter(broker, "faultsink", config.dlq_topic),
                  backoff_base=0.2, backoff_cap=2.0, resolve=resolve)
    subscribe(broker, inbox, config.topic, group_id=config.group_id,
              session_timeout_ms=6000, heartbeat_interval_ms=1000)

    def status(**extra: Any) -> dict[str, Any]:
        return {"pid": os.getpid(), **inbox.stats.as_dict(),
                "order_violations": processor.order_violations, "stalled": processor.stalled, **extra}

    async def report() -> None:
        while True:
            write_status(config.status_file, status(running=True))
            await asyncio.sleep(0.1)

    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    try:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(report)
            await broker.start()
            await stop.wait()
            tasks.cancel_scope.cancel()
    finally:
        with anyio.CancelScope(shield=True):
            await broker.stop()
            write_status(config.status_file, status(running=False))
            await close_application(sink)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s sink[%(process)d] %(name)s %(message)s")
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
    asyncio.run(main())
