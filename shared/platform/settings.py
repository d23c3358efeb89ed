"""Service settings, read once from prefixed environment variables (``JIFEN_...``).

The same names are used by the local scripts (deploy/stack.py), docker-compose.yml and the tests.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from shared.contracts.topics import SERVICES

REPO_ROOT = Path(__file__).resolve().parents[2]

DEFAULT_PORTS: dict[str, int] = {"accounts": 8001, "applications": 8002, "review": 8003, "documents": 8004}


@dataclass(frozen=True)
class Settings:
    """Everything one service process needs to know about its surroundings."""

    service: str
    pg_host: str = "127.0.0.1"
    pg_port: int = 55432
    pg_database: str = "jifen"
    db_user: str = ""
    db_password: str = field(default="", repr=False)
    kafka_bootstrap: str = "127.0.0.1:19092"
    http_host: str = "127.0.0.1"
    http_port: int = 0
    gateway_url: str = "http://127.0.0.1:8080"
    jwt_public_key_file: Path | None = None
    jwt_private_key_file: Path | None = None
    run_dir: Path = REPO_ROOT / ".run"
    db_pool_size: int = 2
    db_max_overflow: int = 3
    cookie_secure: bool = False
    """Set ``Secure`` on the session and CSRF cookies (true behind TLS)."""
    csrf_secret_file: Path | None = None
    """Stable CSRF signing secret; without it one is kept in ``run_dir/secrets/csrf-<service>.key``."""
    jwt_ttl_seconds: int = 1200
    opening_hours: str = "08:00-22:00"
    """When the portal accepts writes (ARCHITECTURE.md §5), local time in ``timezone``."""
    timezone: str = "Asia/Shanghai"

    @classmethod
    def from_env(cls, service: str, environ: Mapping[str, str] | None = None) -> Settings:
        if service not in SERVICES:
            raise ValueError(f"unknown service {service!r}")
        env = os.environ if environ is None else environ
        upper = service.upper()

        def path(name: str) -> Path | None:
            value = env.get(name)
            return Path(value) if value else None

        return cls(
            service=service,
            pg_host=env.get("JIFEN_PG_HOST", "127.0.0.1"),
            pg_port=int(env.get("JIFEN_PG_PORT", "55432")),
            pg_database=env.get("JIFEN_PG_DATABASE", "jifen"),
            db_user=env.get(f"JIFEN_{upper}_DB_USER", f"jifen_{service}"),
            db_password=env.get(f"JIFEN_{upper}_DB_PASSWORD", f"jifen-{service}-dev"),
            kafka_bootstrap=env.get("JIFEN_KAFKA_BOOTSTRAP", "127.0.0.1:19092"),
            http_host=env.get(f"JIFEN_{upper}_HOST", "127.0.0.1"),
            http_port=int(env.get(f"JIFEN_{upper}_PORT", str(DEFAULT_PORTS[service]))),
            gateway_url=env.get("JIFEN_GATEWAY_URL", "http://127.0.0.1:8080"),
            jwt_public_key_file=path("JIFEN_JWT_PUBLIC_KEY_FILE"),
            jwt_private_key_file=path("JIFEN_JWT_PRIVATE_KEY_FILE"),
            run_dir=Path(env.get("JIFEN_RUN_DIR", str(REPO_ROOT / ".run"))),
            cookie_secure=env.get("JIFEN_COOKIE_SECURE", "").lower() in ("1", "true", "yes", "on"),
            csrf_secret_file=path("JIFEN_CSRF_SECRET_FILE"),
            jwt_ttl_seconds=int(env.get("JIFEN_JWT_TTL_SECONDS", "1200")),
            opening_hours=env.get("JIFEN_OPENING_HOURS", "08:00-22:00"),
            timezone=env.get("JIFEN_TIMEZONE", "Asia/Shanghai"),
        )

    @property
    def schema(self) -> str:
        """Each service owns exactly one PostgreSQL schema, named after it."""
        return self.service

    def asyncpg_dsn(self) -> str:
        return f"postgresql://{self.db_user}@{self.pg_host}:{self.pg_port}/{self.pg_database}"

    def eventsourcing_env(self) -> dict[str, str]:
        """Environment for eventsourcing ``Application(env=...)`` on this service's schema."""
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": self.pg_database,
            "POSTGRES_HOST": self.pg_host,
            "POSTGRES_PORT": str(self.pg_port),
            "POSTGRES_USER": self.db_user,
            "POSTGRES_PASSWORD": self.db_password,
            "POSTGRES_SCHEMA": self.schema,
            "POSTGRES_POOL_SIZE": str(self.db_pool_size),
            "POSTGRES_MAX_OVERFLOW": str(self.db_max_overflow),
            "POSTGRES_LOCK_TIMEOUT": "5",
            "POSTGRES_CONNECT_TIMEOUT": "10",
            "POSTGRES_PRE_PING": "y",
            # Keep the stored-function insert path off: it drops tracking rows and skips the table
            # lock that keeps notification ids in commit order.
            "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
        }
