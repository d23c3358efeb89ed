"""Kafka topics, created explicitly (auto-creation is off): the contract's (``shared.contracts.topics``)
and throw-away ones for tests (:func:`create_topics_async`, :func:`delete_topics_async`).

Replication factor 1 locally, ``JIFEN_KAFKA_REPLICATION_FACTOR`` elsewhere; existing topics are checked
for their partition count and their configs are corrected.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Sequence
from typing import Any

from deploy.common import DeployError, environment, log
from shared.contracts.topics import TOPICS, TopicSpec


async def _admin(bootstrap: str) -> Any:
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=30_000)
    await admin.start()
    return admin


async def create_topics_async(specs: Iterable[TopicSpec], bootstrap: str | None = None) -> list[str]:
    """Create the topics (replication 1 locally, or ``replication_factor`` from the environment
    ``JIFEN_KAFKA_REPLICATION_FACTOR``); existing ones are accepted after their partition count (and
    configs) are checked. Returns the names that were newly created."""
    from aiokafka.admin import NewTopic
    from aiokafka.errors import TopicAlreadyExistsError, for_code

    specs = list(specs)
    if not specs:
        return []
    replication = environment().kafka_replication_factor
    admin = await _admin(bootstrap or environment().kafka_bootstrap)
    created: list[str] = []
    try:
        response = await admin.create_topics(
            [NewTopic(s.name, s.partitions, replication, topic_configs=s.configs()) for s in specs],
            timeout_ms=30_000,
        )
        for row in response.topic_errors:
            name, code = row[0], row[1]
            if code == 0:
                created.append(name)
                continue
            error = for_code(code)
            if error is TopicAlreadyExistsError:
                continue
            message = row[2] if len(row) > 2 else ""
            raise DeployError(f"creating topic {name} failed: {error.__name__} {message}")
        await _verify(admin, specs)
    finally:
        await admin.close()
    return created


async def _verify(admin: Any, specs: Sequence[TopicSpec]) -> None:
    from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

    for _ in range(50):  # metadata for brand-new topics can lag a moment
        described = {t["topic"]: t for t in await admin.describe_topics([s.name for s in specs])}
        if all(described.get(s.name, {}).get("error_code", -1) == 0 for s in specs):
            break
        await asyncio.sleep(0.1)
    for spec in specs:
        info = described.get(spec.name)
        if info is None or info["error_code"] != 0:
            raise DeployError(f"topic {spec.name} is missing after creation: {info}")
        actual = len(info["partitions"])
        if actual != spec.partitions:
            raise DeployError(
                f"topic {spec.name} exists with {actual} partitions, expected {spec.partitions}; "
                "fix the contract or recreate the topic (partition counts only ever grow)"
            )
    with_configs = [s for s in specs if s.configs()]
    if not with_configs:
        return
    responses = await admin.describe_configs(
        [ConfigResource(ConfigResourceType.TOPIC, s.name, configs=s.configs()) for s in with_configs]
    )
    actual_configs: dict[str, dict[str, str]] = {}
    for response in responses:
        for resource in response.resources:
            name, entries = resource[3], resource[4]
            actual_configs[name] = {entry[0]: entry[1] for entry in entries}
    drift = [
        s
        for s in with_configs
        if any(actual_configs.get(s.name, {}).get(k) != v for k, v in s.configs().items())
    ]
    if drift:
        log("kafka", f"fixing topic configs: {', '.join(s.name for s in drift)}")
        await admin.alter_configs(
            [ConfigResource(ConfigResourceType.TOPIC, s.name, configs=s.configs()) for s in drift]
        )


def create_topics(specs: Iterable[TopicSpec], bootstrap: str | None = None) -> list[str]:
    """Synchronous :func:`create_topics_async` (not for use inside a running event loop)."""
    return asyncio.run(create_topics_async(specs, bootstrap))


async def delete_topics_async(names: Sequence[str], bootstrap: str | None = None) -> None:
    admin = await _admin(bootstrap or environment().kafka_bootstrap)
    try:
        await admin.delete_topics(list(names), timeout_ms=30_000)
    finally:
        await admin.close()


def delete_topics(names: Sequence[str], bootstrap: str | None = None) -> None:
    asyncio.run(delete_topics_async(names, bootstrap))


def ensure_topics(bootstrap: str | None = None) -> list[str]:
    """Every topic of the contract (shared.contracts.topics.TOPICS) exists with its partition count."""
    created = create_topics(TOPICS, bootstrap)
    if created:
        log("kafka", f"created topics: {', '.join(created)}")
    return created



def ensure_topics_with_retry(bootstrap: str, wait: float) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            ensure_topics(bootstrap)
            log("kafka", f"topics ok on {bootstrap}: {', '.join(t.name for t in TOPICS)}")
            return
        except DeployError:
            raise
        except Exception as exc:
            if time.monotonic() > deadline:
                raise DeployError(f"cannot provision topics on {bootstrap}: {exc!r}") from exc
            time.sleep(2)
