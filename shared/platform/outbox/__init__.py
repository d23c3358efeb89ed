"""The outbox relay: the eventsourcing notification log, published to Kafka at least once.

``position`` keeps where the relay is, ``shared.platform.lease`` makes it a singleton per service,
``relay`` is the loop. See ``relay``'s docstring for how it works and what it guarantees.
"""

from shared.platform.outbox.position import RELAY_TRACKING_NAME, RelayPosition
from shared.platform.outbox.relay import (
    OutboxRelay,
    ProducerFactory,
    PublishFailed,
    RelayStats,
    build_relay,
    encode,
    key_hash,
    run_relay,
)

__all__ = [
    "RELAY_TRACKING_NAME",
    "OutboxRelay",
    "ProducerFactory",
    "PublishFailed",
    "RelayPosition",
    "RelayStats",
    "build_relay",
    "encode",
    "key_hash",
    "run_relay",
]
