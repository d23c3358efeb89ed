"""Plumbing of the services' ``seed-demo`` commands (the cast is ``shared/demo.py``).

A service's seed is a function ``(service, seeder) -> None`` that plays its part of the demo with the
service's own command methods, skipping what is there already. What it needs from another service
arrives by that service's events through the running workers; the seed waits for it with
``seeder.wait_for`` (polling its own state) and gives up after the timeout, saying what it waited
for. The command reports one line per thing it created, and nothing for what it found.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import asyncpg

from shared.kernel.errors import DomainError, ValidationFailed
from shared.platform.application import ServiceApplication
from shared.platform.db import connect, eventsourcing_env
from shared.platform.kit import Command, ServiceDefinition, keyring_of
from shared.platform.settings import Settings

T = TypeVar("T")
DEFAULT_TIMEOUT_S = 180.0
POLL_S = 0.25


class SeedTimeout(RuntimeError):
    """What a seed waited for did not arrive in time (is the stack, and its workers, running?)."""


@dataclass
class Seeder:
    """What a seed function gets besides its service: waiting, reading its own tables, reporting."""

    settings: Settings
    timeout: float = DEFAULT_TIMEOUT_S
    created: list[str] = field(default_factory=list)

    def wait_for(self, what: str, probe: Callable[..., T | None], *args: Any) -> T:
        """``probe(*args)`` until it returns something (not None, False or empty), at most ``timeout``."""
        deadline = time.monotonic() + self.timeout
        while True:
            found = probe(*args)
            if found:
                return found
            if time.monotonic() > deadline:
                raise SeedTimeout(f"waited {self.timeout:.0f}s for {what}")
            time.sleep(POLL_S)

    def query(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        """Rows of the service's own read-model tables (its own role and schema)."""

        async def fetch() -> list[asyncpg.Record]:
            conn = await connect(self.settings, purpose="seed-demo")
            try:
                return list(await conn.fetch(sql, *args))
            finally:
                await conn.close()

        return asyncio.run(fetch())

    def did(self, what: str) -> None:
        self.created.append(what)
        print(f"[seed-demo {self.settings.service}] {what}", flush=True)


def seed_demo_command(seed: Callable[[Any, Seeder], None]) -> Command:
    """The ``seed-demo`` command line verb running ``seed`` on a freshly built service application."""

    def arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--timeout",
            type=float,
            default=DEFAULT_TIMEOUT_S,
            help=f"seconds to wait for each other service's events (default {DEFAULT_TIMEOUT_S:.0f})",
        )

    def run(definition: ServiceDefinition, settings: Settings, args: argparse.Namespace) -> int:
        service: ServiceApplication = definition.build(eventsourcing_env(settings), keyring_of(settings))
        seeder = Seeder(settings, timeout=args.timeout)
        try:
            seed(service, seeder)
        except SeedTimeout as exc:
            print(f"[seed-demo {definition.name}] gave up: {exc}", file=sys.stderr)
            return 2
        except DomainError as exc:
            errors = exc.errors if isinstance(exc, ValidationFailed) else []
            details = "; ".join(f"{e.path}: {e.message.en}" for e in errors)
            print(f"[seed-demo {definition.name}] refused: {exc.message.en} {details}", file=sys.stderr)
            return 1
        finally:
            service.close()
        if not seeder.created:
            print(f"[seed-demo {definition.name}] everything was there already; nothing created")
        return 0

    return Command("seed the demo data this service owns (see shared/demo.py)", run, arguments)
