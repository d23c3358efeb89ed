"""A local Apache Kafka 4.1 broker (KRaft, one combined broker+controller node) from Maven Central jars.

    python -m deploy.kafka.broker ensure   # start (or reuse) the broker on 127.0.0.1:JIFEN_KAFKA_PORT,
                                           # then create the topics
    python -m deploy.kafka.broker stop
    python -m deploy.kafka.broker topics [--bootstrap HOST:PORT]   # only create/verify the topics
    python -m deploy.kafka.broker status

Layout under ``.run/kafka/``: ``libs/`` (jars, fetched by deploy/setup.sh from deploy/kafka/pom.xml),
``server.properties``, ``log4j2.properties``, ``data/`` (KRaft log dir), ``broker.log``, ``kafka.pid``.
Auto-creation of topics is disabled: every topic is created by :mod:`deploy.kafka.topics` with its
partition count and configs.

When ``JIFEN_KAFKA_BOOTSTRAP`` names some other broker, ``ensure`` does not start anything and only
provisions the topics there.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from deploy.common import (
    LOCALHOST,
    REPO_ROOT,
    DeployError,
    cli_parser,
    environment,
    file_lock,
    live_pid,
    log,
    log_ready,
    port_bindable,
    run_cli,
    run_dir,
    running_text,
    spawn,
    stop_recorded,
    tail,
    wait_for_port,
)
from deploy.kafka.topics import ensure_topics, ensure_topics_with_retry

PROCESS_MARKER = "kafka.Kafka"
START_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 30.0

HEAP_OPTS = ["-Xms512m", "-Xmx1g"]
# Kafka's KAFKA_JVM_PERFORMANCE_OPTS (bin/kafka-run-class.sh) + C1-only JIT for short runs on 2 cores.
PERFORMANCE_OPTS = [
    "-server",
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:InitiatingHeapOccupancyPercent=35",
    "-XX:+ExplicitGCInvokesConcurrent",
    "-XX:MaxInlineLevel=15",
    "-XX:TieredStopAtLevel=1",
    "-Djava.awt.headless=true",
]

LOG4J2_PROPERTIES = """\
# Written by deploy/kafka/broker.py. Broker and tools log WARN+ to stderr (-> .run/kafka/broker.log).
status = warn
appender.stderr.type = Console
appender.stderr.name = STDERR
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = STDERR
# keep the two readiness lines visible
logger.raftserver.name = kafka.server.KafkaRaftServer
logger.raftserver.level = info
logger.lifecycle.name = kafka.server.BrokerLifecycleManager
logger.lifecycle.level = info
"""


def server_properties(data_dir: Path) -> str:
    """kafka.md §3, single combined node on 127.0.0.1, with auto topic creation OFF."""
    env = environment()
    port, controller = env.kafka_port, env.kafka_controller
    return f"""\
# Written by deploy/kafka/broker.py -- edit there, not here.
# --- identity / quorum (dynamic quorum, formatted with --standalone) ---
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers={LOCALHOST}:{controller}

# --- listeners (127.0.0.1 everywhere, fixed ports) ---
listeners=PLAINTEXT://{LOCALHOST}:{port},CONTROLLER://{LOCALHOST}:{controller}
advertised.listeners=PLAINTEXT://{LOCALHOST}:{port},CONTROLLER://{LOCALHOST}:{controller}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT

# --- storage ---
log.dirs={data_dir}

# --- topics: created explicitly (deploy.kafka.broker), never auto-created ---
auto.create.topics.enable=false
num.partitions=1
default.replication.factor=1
min.insync.replicas=1

# --- consumer groups (single node) ---
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
group.initial.rebalance.delay.ms=0

# --- idempotence / transactions (single node) ---
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1

# --- share groups (unused; single node) ---
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

# --- small machine ---
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
"""


@dataclass(frozen=True)
class KafkaPaths:
    base: Path
    libs: Path
    data: Path
    properties: Path
    log4j: Path
    log_file: Path
    pid_file: Path

    @classmethod
    def default(cls) -> KafkaPaths:
        base = run_dir() / "kafka"
        return cls(
            base=base,
            libs=base / "libs",
            data=base / "data",
            properties=base / "server.properties",
            log4j=base / "log4j2.properties",
            log_file=base / "broker.log",
            pid_file=base / "kafka.pid",
        )


@dataclass(frozen=True)
class KafkaState:
    bootstrap: str
    started: bool
    """True when this call started the broker process (so the caller should stop it later)."""


def kafka_cluster_id() -> str:
    """16 random bytes, URL-safe base64 without padding; never starting with '-' (kafka.md §2.3)."""
    while True:
        value = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not value.startswith("-"):
            return value


def _marker(paths: KafkaPaths) -> str:
    """``kafka.Kafka <this run dir's server.properties>``: never another clone's broker."""
    return f"{PROCESS_MARKER} {paths.properties}"


def running_pid(paths: KafkaPaths | None = None) -> int | None:
    paths = paths or KafkaPaths.default()
    return live_pid(paths.pid_file, _marker(paths))


def _java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return str(Path(java_home) / "bin" / "java")
    return "java"


def _check_libs(paths: KafkaPaths) -> None:
    if not any(paths.libs.glob("kafka_2.13-*.jar")) or not any(paths.libs.glob("log4j-slf4j-impl-*.jar")):
        raise DeployError(
            f"Kafka jars missing in {paths.libs}; run deploy/setup.sh "
            f"(mvn -f {REPO_ROOT / 'deploy/kafka/pom.xml'} dependency:copy-dependencies ...)"
        )


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def _read_cluster_id(paths: KafkaPaths) -> str | None:
    meta = paths.data / "meta.properties"
    if not meta.exists():
        return None
    for line in meta.read_text().splitlines():
        if line.startswith("cluster.id="):
            return line.split("=", 1)[1].strip()
    return None


def _format(paths: KafkaPaths) -> None:
    """``StorageTool format --standalone -g`` once per data dir (one JVM start; skipped afterwards)."""
    if _read_cluster_id(paths) is not None:
        return
    cluster_id = kafka_cluster_id()
    log("kafka", f"formatting {paths.data} (cluster id {cluster_id})")
    result = subprocess.run(
        [
            _java(),
            "-Xmx256m",
            f"-Dlog4j2.configurationFile={paths.log4j}",
            "-cp",
            f"{paths.libs}/*",
            "kafka.tools.StorageTool",
            "format",
            "--standalone",
            "-g",
            "-t",
            cluster_id,
            "-c",
            str(paths.properties),
        ],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise DeployError(f"kafka StorageTool format failed:\n{(result.stdout + result.stderr).strip()}")


def start_broker(paths: KafkaPaths | None = None) -> bool:
    """Start the local broker unless ours is already running; wait until PLAINTEXT accepts.

    Returns True if this call started it.
    """
    paths = paths or KafkaPaths.default()
    env = environment()
    pid = running_pid(paths)
    if pid is not None:
        # Possibly still starting (another process launched it a moment ago): wait for readiness.
        wait_for_port(env.kafka_port, pid=pid, timeout=START_TIMEOUT_S, name="kafka", log_file=paths.log_file)
        return False
    for port in (env.kafka_port, env.kafka_controller):
        if not port_bindable(port):
            raise DeployError(
                f"port {LOCALHOST}:{port} is in use by a process that is not this project's broker "
                f"(no live pid in {paths.pid_file}). Stop it, or set JIFEN_KAFKA_BOOTSTRAP to use it."
            )
    _check_libs(paths)
    paths.base.mkdir(parents=True, exist_ok=True)
    _write_if_changed(paths.properties, server_properties(paths.data))
    _write_if_changed(paths.log4j, LOG4J2_PROPERTIES)
    t0 = time.monotonic()
    _format(paths)
    t_format = time.monotonic() - t0
    extra = env.kafka_jvm_opts.split()
    argv = [
        _java(),
        *HEAP_OPTS,
        *PERFORMANCE_OPTS,
        *extra,
        f"-Dlog4j2.configurationFile={paths.log4j}",
        "-cp",
        f"{paths.libs}/*",
        PROCESS_MARKER,
        str(paths.properties),
    ]
    proc = spawn(
        argv, log_file=paths.log_file, cwd=paths.base, banner="starting broker", pid_file=paths.pid_file
    )
    log("kafka", f"starting broker pid {proc.pid} on {env.local_kafka_bootstrap} (log: {paths.log_file})")
    try:
        wait_for_port(
            env.kafka_port, pid=proc.pid, timeout=START_TIMEOUT_S, name="kafka", log_file=paths.log_file
        )
    except DeployError:
        stop_broker(paths, timeout=5)
        raise
    total = time.monotonic() - t0
    log("kafka", f"ready in {total:.1f}s" + (f" (format {t_format:.1f}s)" if t_format > 0.05 else ""))
    return True


def stop_broker(paths: KafkaPaths | None = None, timeout: float = STOP_TIMEOUT_S) -> bool:
    paths = paths or KafkaPaths.default()
    return stop_recorded(paths.pid_file, _marker(paths), name="kafka", what="broker", timeout=timeout)


# ----------------------------------------------------------------------------- entry points


def ensure() -> KafkaState:
    """Broker up (started or reused) and the contract's topics provisioned."""
    env = environment()
    bootstrap = env.kafka_bootstrap
    if bootstrap != env.local_kafka_bootstrap:
        ensure_topics(bootstrap)
        return KafkaState(bootstrap=bootstrap, started=False)
    with file_lock("kafka"):
        started = start_broker()
        ensure_topics(bootstrap)
        return KafkaState(bootstrap=bootstrap, started=started)


def stop() -> bool:
    with file_lock("kafka"):
        return stop_broker()


def main(argv: list[str] | None = None) -> int:
    parser = cli_parser("python -m deploy.kafka.broker", __doc__)
    parser.add_argument("command", choices=["ensure", "stop", "topics", "status"])
    parser.add_argument(
        "--bootstrap", help="for `topics`: broker to provision (default JIFEN_KAFKA_BOOTSTRAP)"
    )
    parser.add_argument(
        "--wait",
        type=float,
        default=0.0,
        help="for `topics`: keep retrying this many seconds while the broker is not up yet",
    )
    args = parser.parse_args(argv)

    def command() -> None:
        if args.command == "ensure":
            state = ensure()
            log_ready("kafka", state.bootstrap, state.started)
        elif args.command == "stop":
            if not stop():
                log("kafka", "broker not running")
        elif args.command == "topics":
            ensure_topics_with_retry(args.bootstrap or environment().kafka_bootstrap, args.wait)
        elif args.command == "status":
            pid = running_pid()
            print(f"kafka broker: {running_text(pid)}")
            if pid is None:
                print(tail(KafkaPaths.default().log_file, 5))

    return run_cli("kafka", command)


if __name__ == "__main__":
    sys.exit(main())
