"""The ``JIFEN_*`` environment contract, with every default defined once, and the service settings.

:class:`Environment` (pydantic-settings) is the one definition of every variable the services and the
deploy scripts read, with its default: ports, database, Kafka, keys, cookies, opening hours, gateway
limits. :class:`ServiceEnvironment` holds the per-service variables (``JIFEN_<SERVICE>_HOST``,
``_PORT``, ``_DB_USER``, ``_DB_PASSWORD``). Both read ``os.environ`` or a given mapping through the
library's environment source (:meth:`Environment.read`). :class:`Settings` is what one service
process gets (``Settings.from_env(service)``); its field defaults are taken from the same definition.

The same names are used by the local scripts (deploy/), docker-compose.yml and the tests.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import Field
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict
from pydantic_settings.sources.utils import parse_env_vars

from shared.contracts.topics import SERVICES

REPO_ROOT = Path(__file__).resolve().parents[2]
LOCALHOST = "127.0.0.1"

DEFAULT_PORTS: dict[str, int] = {"accounts": 8001, "applications": 8002, "review": 8003, "documents": 8004}


class _MappingEnvSource(EnvSettingsSource):
    """pydantic-settings' environment source, reading ``environ`` instead of ``os.environ``."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str], prefix: str) -> None:
        self._environ = environ
        super().__init__(settings_cls, env_prefix=prefix)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return parse_env_vars(
            self._environ, self.case_sensitive, self.env_ignore_empty, self.env_parse_none_str
        )


class _Contract(BaseSettings):
    """Read only through :meth:`read` (never implicitly from ``os.environ`` on construction)."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore", env_ignore_empty=True)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)

    @classmethod
    def _read(cls, environ: Mapping[str, str] | None, prefix: str, **defaults: Any) -> Self:
        """The variables ``<prefix><FIELD>`` of ``environ`` (default ``os.environ``) over ``defaults``
        (unset or empty variables keep them)."""
        source = _MappingEnvSource(cls, os.environ if environ is None else environ, prefix)
        return cls(**{**defaults, **source()})


class Environment(_Contract):
    """Every ``JIFEN_*`` variable that is not per service, with its default."""

    pg_host: str = LOCALHOST
    pg_port: int = 55432
    """The private cluster's port, and the port services connect to."""
    pg_database: str = "jifen"
    pg_admin_password: str = Field(default="jifen-admin-dev", repr=False)
    """Superuser password of the private cluster (fixed at initdb time)."""
    pg_bindir: Path | None = None
    """PostgreSQL server binaries (default: the newest /usr/lib/postgresql/<v>/bin)."""
    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL", repr=False)
    """An existing PostgreSQL server to provision and use as admin (scripts only)."""
    admin_database_url: str | None = Field(default=None, repr=False)
    """``JIFEN_ADMIN_DATABASE_URL``: admin DSN on the application database, for tests only."""

    kafka_port: int = 19092
    kafka_controller_port: int | None = None
    """Default: ``kafka_port + 1``."""
    kafka_bootstrap_servers: str | None = Field(default=None, validation_alias="JIFEN_KAFKA_BOOTSTRAP")
    """Default: the local broker, ``127.0.0.1:<kafka_port>``."""
    kafka_replication_factor: int = 1
    kafka_jvm_opts: str = ""

    gateway_port: int = 8080
    gateway_public_url: str | None = Field(default=None, validation_alias="JIFEN_GATEWAY_URL")
    """The portal's public origin. Default: ``http://127.0.0.1:<gateway_port>``."""
    gateway_login_rate: str = "30r/m"
    gateway_login_burst: int = 20
    gateway_code_rate: str = "10r/m"
    gateway_code_burst: int = 10
    gateway_public_rate: str = "60r/m"
    gateway_public_burst: int = 30
    gateway_upstream_timeout: str = "120s"

    run_dir: Path = REPO_ROOT / ".run"
    jwt_public_key_file: Path | None = None
    jwt_private_key_file: Path | None = None
    personal_data_key_file: Path | None = None
    """The keyring that seals and opens personal data on internal topics (``shared.platform.sealing``)."""
    code_secret_file: Path | None = None
    """accounts only: the secret its single-use codes (activation, reset) are derived from."""
    jwt_ttl_seconds: int = 1200
    refresh_ttl_seconds: int = 8 * 3600
    """API refresh tokens (accounts)."""
    smtp_host: str = LOCALHOST
    smtp_port: int = 2525
    """The local stack's mail sink listens here (``deploy/mailsink.py``)."""
    smtp_sender: str = "noreply@jifen.localhost"
    smtp_tls: Literal["off", "starttls", "tls"] = "off"
    """``starttls`` upgrades the connection, ``tls`` connects with TLS (SMTPS)."""
    smtp_username: str | None = None
    smtp_password: str | None = Field(default=None, repr=False)
    mail_sink_dir: Path | None = None
    """Where the local mail sink stores what it receives; set, accounts shows it on a development page."""
    cookie_secure: bool = False
    csrf_secret_file: Path | None = None
    opening_hours: str = "08:00-22:00"
    log_level: str = "INFO"
    documents_dir: Path | None = None
    """Where the documents service keeps its PDFs; unset: in its PostgreSQL schema."""
    service_start_timeout: float = 60.0
    stack_strict: bool = False
    demo: bool = True
    """``deploy/run.sh`` (``deploy.stack up``) seeds the demo data (``deploy/demo.py``); ``JIFEN_DEMO=0``
    or ``--no-demo`` does not."""

    @classmethod
    def read(cls, environ: Mapping[str, str] | None = None) -> Environment:
        """The contract from ``environ`` (default ``os.environ``)."""
        return cls._read(environ, "JIFEN_")

    @property
    def kafka_controller(self) -> int:
        return self.kafka_controller_port or self.kafka_port + 1

    @property
    def local_kafka_bootstrap(self) -> str:
        return f"{LOCALHOST}:{self.kafka_port}"

    @property
    def kafka_bootstrap(self) -> str:
        return self.kafka_bootstrap_servers or self.local_kafka_bootstrap

    @property
    def gateway_url(self) -> str:
        return self.gateway_public_url or f"http://{LOCALHOST}:{self.gateway_port}"


class ServiceEnvironment(_Contract):
    """``JIFEN_<SERVICE>_*``: where one service listens and its own database login."""

    service: str = ""
    host: str = LOCALHOST
    port: int
    db_user: str
    db_password: str = Field(repr=False)

    @classmethod
    def read(cls, service: str, environ: Mapping[str, str] | None = None) -> ServiceEnvironment:
        if service not in SERVICES:
            raise ValueError(f"unknown service {service!r}; expected one of {SERVICES}")
        return cls._read(
            environ,
            f"JIFEN_{service.upper()}_",
            port=DEFAULT_PORTS[service],
            db_user=f"jifen_{service}",
            db_password=f"jifen-{service}-dev",
        ).model_copy(update={"service": service})


_DEFAULTS = Environment()


@dataclass(frozen=True)
class Settings:
    """Everything one service process needs to know about its surroundings."""

    service: str
    pg_host: str = _DEFAULTS.pg_host
    pg_port: int = _DEFAULTS.pg_port
    pg_database: str = _DEFAULTS.pg_database
    db_user: str = ""
    db_password: str = field(default="", repr=False)
    kafka_bootstrap: str = _DEFAULTS.kafka_bootstrap
    http_host: str = LOCALHOST
    http_port: int = 0
    gateway_url: str = _DEFAULTS.gateway_url
    jwt_public_key_file: Path | None = None
    jwt_private_key_file: Path | None = None
    personal_data_key_file: Path | None = None
    run_dir: Path = _DEFAULTS.run_dir
    db_pool_size: int = 2
    db_max_overflow: int = 3
    cookie_secure: bool = _DEFAULTS.cookie_secure
    """Set ``Secure`` on the session and CSRF cookies (true behind TLS)."""
    csrf_secret_file: Path | None = None
    """Stable CSRF signing secret; without it one is kept in ``run_dir/secrets/csrf-<service>.key``."""
    jwt_ttl_seconds: int = _DEFAULTS.jwt_ttl_seconds
    refresh_ttl_seconds: int = _DEFAULTS.refresh_ttl_seconds
    code_secret_file: Path | None = None
    smtp_host: str = _DEFAULTS.smtp_host
    smtp_port: int = _DEFAULTS.smtp_port
    smtp_sender: str = _DEFAULTS.smtp_sender
    smtp_tls: str = _DEFAULTS.smtp_tls
    smtp_username: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    mail_sink_dir: Path | None = None
    opening_hours: str = _DEFAULTS.opening_hours
    """When the portal accepts writes (ARCHITECTURE.md §5), Shanghai time (``shared.kernel.moments``)."""
    documents_dir: Path | None = None
    """``JIFEN_DOCUMENTS_DIR``: the documents service's PDFs in this directory instead of PostgreSQL."""

    @classmethod
    def from_env(cls, service: str, environ: Mapping[str, str] | None = None) -> Settings:
        own = ServiceEnvironment.read(service, environ)
        env = Environment.read(environ)
        return cls(
            service=service,
            pg_host=env.pg_host,
            pg_port=env.pg_port,
            pg_database=env.pg_database,
            db_user=own.db_user,
            db_password=own.db_password,
            kafka_bootstrap=env.kafka_bootstrap,
            http_host=own.host,
            http_port=own.port,
            gateway_url=env.gateway_url,
            jwt_public_key_file=env.jwt_public_key_file,
            jwt_private_key_file=env.jwt_private_key_file,
            personal_data_key_file=env.personal_data_key_file,
            run_dir=env.run_dir,
            cookie_secure=env.cookie_secure,
            csrf_secret_file=env.csrf_secret_file,
            jwt_ttl_seconds=env.jwt_ttl_seconds,
            refresh_ttl_seconds=env.refresh_ttl_seconds,
            code_secret_file=env.code_secret_file,
            smtp_host=env.smtp_host,
            smtp_port=env.smtp_port,
            smtp_sender=env.smtp_sender,
            smtp_tls=env.smtp_tls,
            smtp_username=env.smtp_username,
            smtp_password=env.smtp_password,
            mail_sink_dir=env.mail_sink_dir,
            opening_hours=env.opening_hours,
            documents_dir=env.documents_dir,
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
