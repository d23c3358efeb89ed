"""The service kit: one definition per service, from which its web app, its worker and its tests
are built (the composition root, in the manner of cosmicpython's ``bootstrap.py``).

Each service's ``app.py`` declares a ``ServiceDefinition``: its eventsourcing application class,
its integration tables (``integration.py``: OUTBOUND, INBOUND), its read models and side effects
(``readmodels.py`` and the like), its routers (``http/``) and its error map. Then:

* ``create_web_app(SERVICE, settings)`` is the web process: the shared platform app
  (``shared.platform.web``) with the service's routers, the application built once per process
  and given to handlers as the ``service`` dependency, and the service's errors mapped to
  problem details;
* ``run_worker(SERVICE, settings)`` is the worker process: the application, its outbox relay
  (OUTBOUND), its inbox subscribers (the topics INBOUND's payloads are published on), and a tracked
  follower for each read model and side effect, until cancelled;
* ``main(SERVICE)`` is ``python -m services.<name> [web|worker|all|rebuild ...]``, plus the service's
  own ``commands``.

Tests build the same things with ``persistence=MEMORY`` (eventsourcing's in-memory recorders) or
with a throw-away schema, and with fakes for the clock and the token verifier.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import anyio
from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.types import ControllerRouterHandler

from shared.platform.application import ServiceApplication
from shared.platform.integration import Inbound, Outbound
from shared.platform.problems import DEFAULT_ERROR_MAP, ErrorMap
from shared.platform.projections import LogFollower, ReadModel, SideEffect
from shared.platform.sealing import Keyring
from shared.platform.settings import Settings

log = logging.getLogger("jifen.kit")

MEMORY: Mapping[str, str] = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
"""``persistence=`` for unit tests: the application's events in memory, nothing on PostgreSQL."""

SideEffectFactory = Callable[[Settings, ServiceApplication], SideEffect]


@dataclass(frozen=True)
class Command:
    """A service's own command line verb (``python -m services.<name> <verb> ...``)."""

    help: str
    run: Callable[[ServiceDefinition, Settings, argparse.Namespace], int]
    """(the definition, the settings, the parsed arguments) -> exit code."""
    arguments: Callable[[argparse.ArgumentParser], None] = lambda _parser: None


@dataclass(frozen=True)
class ServiceDefinition:
    """Everything that makes one service, in one place."""

    name: str
    """The service name: schema, topics, tracking names, ``Application.name``."""
    application: type[ServiceApplication]
    routers: Sequence[ControllerRouterHandler] = ()
    """Pages under ``/<name>/`` and the JSON API under ``/api/<name>/``."""
    outbound: Outbound = field(default_factory=Outbound)
    inbound: Inbound = field(default_factory=Inbound)
    read_models: Sequence[type[ReadModel]] = ()
    side_effects: Sequence[SideEffectFactory] = ()
    errors: ErrorMap = field(default_factory=dict)
    """The service's own error classes -> problem kinds, over ``DEFAULT_ERROR_MAP``."""
    public_paths: Sequence[str] = ()
    max_body_size: int = 2 * 1024 * 1024
    commands: Mapping[str, Command] = field(default_factory=dict)
    """Extra command line verbs besides web, worker, all and rebuild (e.g. accounts' ``create-admin``)."""
    revocations_from_accounts: bool = True
    """Keep the not-before table of revoked sessions from accounts' ``SessionsRevoked`` (every
    service but accounts, which writes the table from its own events; ``shared.platform.sessions``)."""

    def __post_init__(self) -> None:
        if self.application.name != self.name:
            raise ValueError(f"{self.application.__name__}.name must be {self.name!r}")

    @property
    def error_map(self) -> ErrorMap:
        return {**DEFAULT_ERROR_MAP, **self.errors}

    @property
    def all_inbound(self) -> Inbound:
        """The service's INBOUND table plus the platform's own rows."""
        if not self.revocations_from_accounts:
            return self.inbound
        from shared.contracts.accounts import SessionsRevoked
        from shared.platform.sessions import on_sessions_revoked

        return Inbound({SessionsRevoked: on_sessions_revoked, **self.inbound.rows})

    @property
    def all_read_models(self) -> list[type[ReadModel]]:
        """The service's read models plus the platform's own."""
        if not self.revocations_from_accounts:
            return list(self.read_models)
        from shared.platform.sessions import SessionRevocations

        return [SessionRevocations, *self.read_models]

    def followers(self, settings: Settings, app: ServiceApplication) -> list[LogFollower]:
        return [
            *(model() for model in self.all_read_models),
            *(make(settings, app) for make in self.side_effects),
        ]

    def build(self, env: Mapping[str, str], keyring: Keyring | None = None) -> ServiceApplication:
        """The service's application on ``env`` (blocking: call from a worker thread)."""
        from shared.platform.db import build_application  # psycopg stays out of light imports

        return build_application(self.application, env, inbound=self.all_inbound, keyring=keyring)


def keyring_of(settings: Settings) -> Keyring | None:
    """The personal-data keyring the service was given (``JIFEN_PERSONAL_DATA_KEY_FILE``), if any."""
    path = settings.personal_data_key_file
    return Keyring.from_file(path) if path is not None else None


# --------------------------------------------------------------------------------------------------
# Web


class ApplicationHandle:
    """The web process's one application, built on first need in a worker thread.

    Built at start-up when PostgreSQL answers; if it does not, the process still starts (``/readyz``
    says why) and the first request that needs the application builds it.
    """

    def __init__(
        self, definition: ServiceDefinition, env: Mapping[str, str], keyring: Keyring | None = None
    ) -> None:
        self.definition = definition
        self.env = dict(env)
        self.keyring = keyring
        self._app: ServiceApplication | None = None
        self._lock = asyncio.Lock()

    async def get(self) -> ServiceApplication:
        if self._app is None:
            async with self._lock:
                if self._app is None:
                    self._app = await anyio.to_thread.run_sync(self.definition.build, self.env, self.keyring)
        return self._app

    async def close(self) -> None:
        app, self._app = self._app, None
        if app is not None:
            await anyio.to_thread.run_sync(app.close)


WEB_DDL_LOCK_TIMEOUT_MS = 2000
"""How long a starting web process waits for the turn to create read-model tables."""


def create_web_app(
    definition: ServiceDefinition,
    settings: Settings,
    *,
    persistence: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Litestar:
    """The service's web app. ``persistence`` overrides the eventsourcing env (``MEMORY`` in unit
    tests, a throw-away schema in integration tests); ``overrides`` go to ``create_service_app``."""
    from shared.platform.db import eventsourcing_env
    from shared.platform.web import create_service_app

    handle = ApplicationHandle(definition, eventsourcing_env(settings, persistence), keyring_of(settings))

    @asynccontextmanager
    async def application_lifespan(app: Litestar) -> AsyncIterator[None]:
        try:
            await handle.get()
        except Exception as exc:  # PostgreSQL down: start anyway, build on first use
            log.warning(
                "%s application not built at start-up (%r); building on first use", definition.name, exc
            )
        await _ensure_read_model_tables(app, definition)
        try:
            yield
        finally:
            with anyio.CancelScope(shield=True):
                await handle.close()

    async def provide_service(state: State) -> ServiceApplication:
        service_handle: ApplicationHandle = state.service_handle
        return await service_handle.get()

    return create_service_app(
        settings,
        route_handlers=definition.routers,
        lifespan=[application_lifespan, *overrides.pop("lifespan", ())],
        public_paths=[*definition.public_paths, *overrides.pop("public_paths", ())],
        error_map=definition.error_map,
        dependencies={"service": Provide(provide_service)},
        state={"service_handle": handle, **overrides.pop("state", {})},
        max_body_size=overrides.pop("max_body_size", definition.max_body_size),
        **overrides,
    )


async def _ensure_read_model_tables(app: Litestar, definition: ServiceDefinition) -> None:
    """Create the read models' tables if the worker has not yet, so that a page never meets a
    missing table (it shows empty lists until the worker fills them). Best effort, and never a wait
    on the worker: tables already there are left alone (an index's ``IF NOT EXISTS`` would queue
    behind the worker's open transaction, and a web process in the worker's event loop would then
    wait for itself); PostgreSQL down, or the worker holding the locks, is left to the worker."""
    from shared.platform.projections import ensure_tables, missing_tables

    pool = getattr(app.state, "db_pool", None)
    if pool is None:
        return
    models = [model() for model in definition.all_read_models]
    try:
        async with pool.acquire() as conn:
            if await missing_tables(conn, models):
                await ensure_tables(conn, models, lock_timeout_ms=WEB_DDL_LOCK_TIMEOUT_MS)
    except Exception as exc:
        log.info("%s read-model tables not created by the web process (%r)", definition.name, exc)


# --------------------------------------------------------------------------------------------------
# Worker


async def run_worker(
    definition: ServiceDefinition,
    settings: Settings,
    *,
    overrides: Mapping[str, str] | None = None,
    follower_options: Mapping[str, Any] | None = None,
    group_id: str | None = None,
    topics: Mapping[str, str] | None = None,
) -> None:
    """Run the service's worker until cancelled; stops the relay, subscribers, followers and the
    application cleanly (eventsourcing threads are non-daemon, so the application is closed).

    ``overrides`` go to the eventsourcing env (a throw-away schema); tests also consume with their
    own ``group_id`` and read and publish throw-away copies of the contract topics (``topics``: real
    name -> the name to use instead), so that nothing of theirs reaches the real streams.
    """
    from shared.platform.db import close_application, connect, eventsourcing_env
    from shared.platform.inbox import Inbox, ProjectionProcessor, broker_dead_letter, subscribe
    from shared.platform.kafka import make_broker, relay_producer
    from shared.platform.outbox import build_relay, run_relay
    from shared.platform.projections import follower_runner

    env = eventsourcing_env(settings, overrides)
    schema = env.get("POSTGRES_SCHEMA", settings.schema)
    app = await anyio.to_thread.run_sync(definition.build, env, keyring_of(settings))

    async def connect_to(purpose: str) -> Any:
        return await connect(settings, purpose=purpose, schema=schema)

    try:
        relay = await anyio.to_thread.run_sync(
            lambda: build_relay(
                app=app,
                mapper=definition.outbound.mapper(definition.name, sealing=app.sealing, topics=topics),
                env=env,
                producer_factory=lambda: relay_producer(settings),
                connect=lambda: connect_to("relay"),
            )
        )
        runners = [
            follower_runner(
                app,
                follower,
                schema=schema,
                connect=lambda: connect_to("followers"),
                **(follower_options or {}),
            )
            for follower in definition.followers(settings, app)
        ]
        broker = None
        inbound = definition.all_inbound
        if inbound.subscriptions:
            broker = make_broker(settings)
            inbox = Inbox(
                definition.name, ProjectionProcessor(app), broker_dead_letter(broker, definition.name)
            )
            for subscription in inbound.subscriptions:
                subscribe(
                    broker,
                    inbox,
                    (topics or {}).get(subscription.topic, subscription.topic),
                    group_id=group_id or definition.name,
                    stream=subscription.stream,
                )
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(run_relay, relay)
            for runner in runners:
                tasks.start_soon(runner.run)
            try:
                if broker is not None:
                    await broker.start()
                await anyio.sleep_forever()
            finally:
                with anyio.CancelScope(shield=True):
                    if broker is not None:
                        await broker.stop()
                tasks.cancel_scope.cancel()
    finally:
        with anyio.CancelScope(shield=True):
            await close_application(app)


# --------------------------------------------------------------------------------------------------
# Command line


async def rebuild_read_models(
    definition: ServiceDefinition, settings: Settings, names: Sequence[str]
) -> list[str]:
    """Empty the named read models (all when none is named); the running worker replays them."""
    from shared.platform.db import connect
    from shared.platform.projections import ensure_tables, rebuild

    models = [model() for model in definition.all_read_models if not names or model.name in names]
    unknown = set(names) - {model.name for model in models}
    if unknown:
        raise SystemExit(
            f"unknown read model(s): {', '.join(sorted(unknown))}; "
            f"known: {', '.join(m.name for m in definition.all_read_models)}"
        )
    conn = await connect(settings, purpose="rebuild")
    try:
        await ensure_tables(conn, models)
        for model in models:
            await rebuild(conn, model)
    finally:
        await conn.close()
    return [model.name for model in models]


def main(definition: ServiceDefinition, argv: list[str] | None = None) -> int:
    """``python -m services.<name> [web|worker|all]`` (default all), or ``rebuild [read model ...]``."""
    from shared.platform.logging import configure_logging
    from shared.platform.runner import MODES, run_service

    parser = argparse.ArgumentParser(prog=f"python -m services.{definition.name}")
    commands = parser.add_subparsers(dest="command")
    for mode in MODES:
        commands.add_parser(mode, help=f"run the {mode} part" if mode != "all" else "run web and worker")
    rebuild_parser = commands.add_parser(
        "rebuild", help="empty read models; the worker replays the service's events into them"
    )
    rebuild_parser.add_argument("read_models", nargs="*", help="names (default: all)")
    for name, command in definition.commands.items():
        command.arguments(commands.add_parser(name, help=command.help))
    args = parser.parse_args(argv)
    configure_logging(definition.name, os.environ.get("JIFEN_LOG_LEVEL", "INFO").upper())
    settings = Settings.from_env(definition.name)
    if args.command in definition.commands:
        return definition.commands[args.command].run(definition, settings, args)
    if args.command == "rebuild":
        rebuilt = asyncio.run(rebuild_read_models(definition, settings, args.read_models))
        print("rebuilding: " + (", ".join(rebuilt) or "(no read models)"))
        return 0
    return asyncio.run(
        run_service(
            settings,
            mode=args.command or "all",
            create_app=lambda s: create_web_app(definition, s),
            run_worker=lambda s: run_worker(definition, s),
        )
    )
