"""A test world for services on the real PostgreSQL and Kafka that never touches the real streams.

``Bus`` makes a throw-away copy of every contract topic; ``Running`` is one service built from its
``ServiceDefinition``: its worker (relay, inbox, read models, side effects) and its web app, in a
throw-away schema, consuming and publishing only the bus's copies, with its own consumer group.
Several services on one bus talk to each other through real Kafka exactly as in production::

    async with Bus(infra) as bus, Running(infra, bus, "review") as review:
        await bus.publish(ApplicationSubmitted(...), subject=application_id)
        async with review.client() as client:
            ...
        [envelope] = await bus.read(REVIEW_TOPIC, subject=application_id, expect=1)

``publish`` stands in for another service's relay: it numbers its messages per source (the
sequence the consumers track), so a test needs no running upstream service.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import itertools
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, cast

import anyio
import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient
from pydantic import BaseModel

from shared.contracts import wrap
from shared.contracts.envelope import Envelope
from shared.contracts.registry import event_type_of, payload_model
from shared.contracts.topics import TOPICS, TopicSpec
from shared.platform.auth import TokenIssuer, TokenVerifier
from shared.platform.kit import ServiceDefinition, create_web_app, keyring_of, run_worker
from shared.platform.outbox import encode
from shared.platform.settings import Settings

if TYPE_CHECKING:
    from deploy.testing import Infra


class Bus:
    """Throw-away copies of every contract topic (same partitions), deleted afterwards."""

    def __init__(self, infra: Infra) -> None:
        self.infra = infra
        run = uuid.uuid4().hex[:10]
        self.copies: dict[str, str] = {spec.name: f"jifen.test.{run}.{spec.name}" for spec in TOPICS}
        self._sequences: dict[str, itertools.count[int]] = {}
        self._producer: Any = None

    async def __aenter__(self) -> Bus:
        from deploy.kafka.topics import create_topics_async
        from shared.platform.kafka import make_producer

        await create_topics_async(
            [TopicSpec(self.copies[s.name], s.partitions) for s in TOPICS], self.infra.kafka_bootstrap
        )
        self._producer = make_producer(self.infra.kafka_bootstrap, client_id="test-bus")
        await self._producer.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        from deploy.kafka.topics import delete_topics_async

        with contextlib.suppress(Exception):
            await self._producer.stop()
        await delete_topics_async(list(self.copies.values()), self.infra.kafka_bootstrap)

    async def publish(
        self,
        payload: BaseModel,
        *,
        subject: str,
        aggregate_version: int = 1,
        at: datetime | None = None,
        correlation_id: str | None = None,
    ) -> Envelope:
        """Publish ``payload`` as its source service would (on the copy of its contract topic)."""
        entry = event_type_of(type(payload))
        sequence = next(self._sequences.setdefault(entry.source, itertools.count(1)))
        envelope = wrap(
            source=entry.source,
            sequence=sequence,
            subject=subject,
            aggregate_version=aggregate_version,
            occurred_at=at or datetime.now(UTC),
            payload=payload,
            correlation_id=correlation_id,
        )
        await self.send(envelope)
        return envelope

    async def send(self, envelope: Envelope) -> None:
        """Put ``envelope`` on (the copy of) its type's topic. Sending a published envelope again is
        what a relay re-publishing after a crash does: the same sequence, at a new offset."""
        topic = event_type_of(payload_model(envelope.type)).topic
        value, key, headers = encode(envelope)
        await self._producer.send_and_wait(self.copies[topic], value, key=key, headers=headers)

    async def read(
        self, topic: str, *, expect: int, subject: str | None = None, timeout: float = 30.0
    ) -> list[Envelope]:
        """The envelopes on (the copy of) ``topic``, in per-partition order, optionally of one
        subject; waits until ``expect`` are there, then returns all (more would be a bug to see)."""
        from aiokafka import AIOKafkaConsumer

        consumer = AIOKafkaConsumer(
            self.copies[topic],
            bootstrap_servers=self.infra.kafka_bootstrap,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            group_id=None,
        )
        await consumer.start()
        found: list[Envelope] = []
        try:
            deadline = time.monotonic() + timeout
            while True:
                for records in (await consumer.getmany(timeout_ms=300)).values():
                    for record in records:
                        envelope = Envelope.model_validate_json(record.value)
                        if subject is None or envelope.subject == subject:
                            found.append(envelope)
                if len(found) >= expect or time.monotonic() > deadline:
                    break
        finally:
            await consumer.stop()
        return found


class Running:
    """One service, from its definition, on a throw-away schema and the bus's topics."""

    def __init__(
        self,
        infra: Infra,
        bus: Bus,
        service: str,
        *,
        definition: ServiceDefinition | None = None,
        environ: dict[str, str] | None = None,
        **worker_options: Any,
    ) -> None:
        self.infra = infra
        self.bus = bus
        self.service = service
        self.definition: ServiceDefinition = (
            definition or importlib.import_module(f"services.{service}.app").SERVICE
        )
        self.settings = Settings.from_env(service, {**infra.env, **(environ or {})})
        """``environ`` overrides the infrastructure's variables (a test's own mail sink, say)."""
        self.schema = ""
        self.worker_options = worker_options
        self._worker: asyncio.Task[None] | None = None

    @property
    def persistence(self) -> dict[str, str]:
        return {"POSTGRES_SCHEMA": self.schema}

    async def __aenter__(self) -> Running:
        from tests.faults.support import create_schema

        self.schema = await anyio.to_thread.run_sync(
            create_schema, self.infra.admin_dsn, self.settings.db_user, f"t{self.service[:4]}"
        )
        self._worker = asyncio.create_task(
            run_worker(
                self.definition,
                self.settings,
                overrides=self.persistence,
                group_id=f"test-{self.schema}",
                topics=self.bus.copies,
                **self.worker_options,
            )
        )
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        from tests.faults.support import drop_schema

        if self._worker is not None:
            self._worker.cancel()
            await asyncio.gather(self._worker, return_exceptions=True)
        await anyio.to_thread.run_sync(drop_schema, self.infra.admin_dsn, self.schema)

    def web_app(self, **overrides: Any) -> Litestar:
        """The service's web app on the same schema (its read models, its application)."""
        options: dict[str, Any] = {
            "token_verifier": TokenVerifier.from_pem_file(self.infra.jwt_public_key_file),
            "csrf_secret": "w" * 32,
            "readiness_checks": {},
            **overrides,
        }
        options["state"] = {"db_schema": self.schema, **options.get("state", {})}
        return create_web_app(self.definition, self.settings, persistence=self.persistence, **options)

    @contextlib.asynccontextmanager
    async def application(self) -> AsyncIterator[Any]:
        """Another instance of the service's application on the same schema (what a web process or
        a CLI command would use), closed afterwards."""
        env = {**self.settings.eventsourcing_env(), **self.persistence}
        app = await anyio.to_thread.run_sync(self.definition.build, env, keyring_of(self.settings))
        try:
            yield app
        finally:
            await anyio.to_thread.run_sync(app.close)

    @contextlib.asynccontextmanager
    async def client(self, **overrides: Any) -> AsyncIterator[AsyncTestClient[Litestar]]:
        async with AsyncTestClient(app=self.web_app(**overrides)) as client:
            yield client

    @contextlib.asynccontextmanager
    async def http(self, **overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
        """The web app served in this event loop. Litestar's test client runs the app in a portal
        thread and blocks this loop while a request runs, so the worker (a task of this loop) stands
        still meanwhile; a page that waits for its read model needs the worker to go on."""
        app = self.web_app(**overrides)
        transport = httpx.ASGITransport(app=cast(Any, app))
        async with (
            app.lifespan(),
            httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client,
        ):
            yield client

    def assert_running(self) -> None:
        """Fail at once (with its error) if the worker died."""
        if self._worker is not None and self._worker.done():
            raise AssertionError(f"the {self.service} worker stopped: {self._worker!r}")


def token_issuer(infra: Infra) -> TokenIssuer:
    """Signs tokens as accounts does (tests sign in users without the accounts service)."""
    return TokenIssuer.from_pem_file(infra.jwt_private_key_file)
