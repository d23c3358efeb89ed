"""The local infrastructure as the services rely on it: Kafka topics (explicit, never auto-created) and
PostgreSQL roles confined to their own schema. Runs against the real servers (``infra`` fixture)."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import psycopg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import KafkaError
from psycopg import errors, sql

from deploy.kafka.topics import create_topics_async, delete_topics_async
from deploy.testing import Infra
from shared.contracts.topics import SERVICES, STATUS_TOPIC, TOPICS, TopicSpec, dead_letter_topic

pytestmark = pytest.mark.infra


@pytest.fixture
async def kafka_admin(infra: Infra) -> AsyncIterator[AIOKafkaAdminClient]:
    admin = AIOKafkaAdminClient(bootstrap_servers=infra.kafka_bootstrap, request_timeout_ms=10_000)
    await admin.start()
    try:
        yield admin
    finally:
        await admin.close()


async def topic_config(admin: AIOKafkaAdminClient, topic: str, key: str) -> str | None:
    responses = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic, {key: None})])
    for response in responses:
        for resource in response.resources:
            for entry in resource[4]:
                if entry[0] == key:
                    return str(entry[1])
    return None


# ----------------------------------------------------------------------------- Kafka


@pytest.mark.anyio
async def test_every_contract_topic_exists_with_its_partition_count(kafka_admin: AIOKafkaAdminClient) -> None:
    described = {t["topic"]: t for t in await kafka_admin.describe_topics([t.name for t in TOPICS])}

    for spec in TOPICS:
        assert described[spec.name]["error_code"] == 0, spec.name
        assert len(described[spec.name]["partitions"]) == spec.partitions, spec.name


@pytest.mark.anyio
async def test_the_status_topic_keeps_its_events_for_ever(kafka_admin: AIOKafkaAdminClient) -> None:
    assert await topic_config(kafka_admin, STATUS_TOPIC, "retention.ms") == "-1"


@pytest.mark.anyio
@pytest.mark.parametrize("service", SERVICES)
async def test_dead_letter_topics_keep_their_messages_for_ever(
    kafka_admin: AIOKafkaAdminClient, service: str
) -> None:
    assert await topic_config(kafka_admin, dead_letter_topic(service), "retention.ms") == "-1"


@pytest.mark.anyio
async def test_producing_to_an_unknown_topic_fails_and_does_not_create_it(
    infra: Infra, kafka_admin: AIOKafkaAdminClient
) -> None:
    unknown = f"test.unknown.{uuid.uuid4().hex}"
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka_bootstrap, request_timeout_ms=3_000)
    await producer.start()
    try:
        with pytest.raises(KafkaError):
            await producer.send_and_wait(unknown, b"should not land anywhere")
    finally:
        await producer.stop()

    assert unknown not in await kafka_admin.list_topics()


@pytest.mark.anyio
async def test_tests_can_create_their_own_topics_and_round_trip_a_message(infra: Infra) -> None:
    topic = f"test.infra.{uuid.uuid4().hex}"
    spec = TopicSpec(topic, partitions=3)
    assert await create_topics_async([spec], infra.kafka_bootstrap) == [topic]
    assert await create_topics_async([spec], infra.kafka_bootstrap) == []  # existing is fine
    try:
        producer = AIOKafkaProducer(
            bootstrap_servers=infra.kafka_bootstrap, acks="all", enable_idempotence=True
        )
        await producer.start()
        try:
            await producer.send_and_wait(topic, b"hello", key=b"aggregate-1")
        finally:
            await producer.stop()
        consumer = AIOKafkaConsumer(
            topic,
            bootstrap_servers=infra.kafka_bootstrap,
            group_id=f"test-{uuid.uuid4().hex}",
            auto_offset_reset="earliest",
            enable_auto_commit=False,
        )
        await consumer.start()
        try:
            batches = await consumer.getmany(timeout_ms=15_000)
            values = [record.value for records in batches.values() for record in records]
            await consumer.commit()  # needs the single-node __consumer_offsets settings
        finally:
            await consumer.stop()
        assert values == [b"hello"]
    finally:
        await delete_topics_async([topic], infra.kafka_bootstrap)


# ----------------------------------------------------------------------------- PostgreSQL


@pytest.fixture
def table_name() -> str:
    return f"t_{uuid.uuid4().hex[:12]}"


def connect(infra: Infra, service: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(infra.db(service).dsn, autocommit=True, connect_timeout=10)


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_role_can_create_a_table_in_its_own_schema(
    infra: Infra, service: str, table_name: str
) -> None:
    with connect(infra, service) as conn:
        table = sql.Identifier(service, table_name)
        conn.execute(sql.SQL("CREATE TABLE {} (id int PRIMARY KEY)").format(table))
        try:
            conn.execute(sql.SQL("INSERT INTO {} VALUES (1)").format(table))
            assert conn.execute(sql.SQL("SELECT count(*) FROM {}").format(table)).fetchone() == (1,)
        finally:
            conn.execute(sql.SQL("DROP TABLE {}").format(table))


@pytest.mark.parametrize("service", SERVICES)
def test_unqualified_names_resolve_to_the_services_own_schema(
    infra: Infra, service: str, table_name: str
) -> None:
    with connect(infra, service) as conn:
        conn.execute(sql.SQL("CREATE TABLE {} (id int)").format(sql.Identifier(table_name)))
        try:
            row = conn.execute(
                "SELECT table_schema FROM information_schema.tables WHERE table_name = %s", (table_name,)
            ).fetchone()
            assert row == (service,)
        finally:
            conn.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(table_name)))


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_role_is_refused_on_another_services_schema(
    infra: Infra, service: str, table_name: str
) -> None:
    others = [s for s in SERVICES if s != service]
    with connect(infra, service) as conn:
        for other in others:
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(sql.SQL("CREATE TABLE {} (id int)").format(sql.Identifier(other, table_name)))

    # ...and cannot read what the other service stored there either.
    owner = others[0]
    with connect(infra, owner) as conn:
        conn.execute(sql.SQL("CREATE TABLE {} (id int)").format(sql.Identifier(owner, table_name)))
    try:
        with connect(infra, service) as conn, pytest.raises(errors.InsufficientPrivilege):
            conn.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(owner, table_name)))
    finally:
        with connect(infra, owner) as conn:
            conn.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(owner, table_name)))


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_role_is_refused_on_the_public_schema(infra: Infra, service: str, table_name: str) -> None:
    with connect(infra, service) as conn, pytest.raises(errors.InsufficientPrivilege):
        conn.execute(sql.SQL("CREATE TABLE {} (id int)").format(sql.Identifier("public", table_name)))


def test_a_service_role_with_a_wrong_password_cannot_connect(infra: Infra) -> None:
    creds = infra.db("accounts")
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(
            host=creds.host,
            port=creds.port,
            dbname=creds.database,
            user=creds.user,
            password="not-the-password",
            connect_timeout=10,
        )


def test_the_admin_connection_can_create_and_drop_throw_away_schemas(infra: Infra) -> None:
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(infra.admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


# ----------------------------------------------------------------------------- gateway config


def test_the_gateway_config_renders_and_passes_nginx_syntax_check(tmp_path: Path) -> None:
    from deploy.gateway.gateway import GatewayPaths, nginx_binary, render, template_values

    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        pytest.skip("nginx is not installed (deploy/setup.sh installs it)")
    paths = GatewayPaths(
        base=tmp_path, conf=tmp_path / "nginx.conf", pid_file=tmp_path / "nginx.pid", logs=tmp_path / "logs"
    )
    paths.logs.mkdir()
    (tmp_path / "tmp").mkdir()
    text = render(template_values(paths, tmp_path / "tmp"))
    assert "${" not in text
    paths.conf.write_text(text)
    result = subprocess.run(
        [
            nginx_binary(),
            "-t",
            "-p",
            str(tmp_path),
            "-c",
            str(paths.conf),
            "-e",
            str(paths.logs / "error.log"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
