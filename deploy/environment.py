"""The environment each process gets: the shared ``JIFEN_*`` contract, and per process only its secrets.

Shared (every service; names and defaults: ``shared.platform.settings``):
    JIFEN_PG_HOST, JIFEN_PG_PORT, JIFEN_PG_DATABASE, JIFEN_<SERVICE>_DB_USER, JIFEN_KAFKA_BOOTSTRAP,
    JIFEN_<SERVICE>_PORT, JIFEN_JWT_PUBLIC_KEY_FILE, JIFEN_RUN_DIR, JIFEN_GATEWAY_URL, JIFEN_MAIL_SINK_DIR

Secrets (:data:`SECRETS`: which service gets which; adding one is adding a row):
    JIFEN_<SERVICE>_DB_PASSWORD     each service its own
    JIFEN_JWT_PRIVATE_KEY_FILE      accounts only (it alone signs tokens)
    JIFEN_CODE_SECRET_FILE          accounts only (it derives the activation and reset codes)
    JIFEN_SMTP_PASSWORD             accounts only (it alone sends mail); empty when the server needs none
    JIFEN_PERSONAL_DATA_KEY_FILE    the services that seal or open personal data on internal topics

Never given to a service: :data:`ADMIN_ONLY` (the superuser's DSN and password; the tests' environment,
:meth:`Contract.for_tests`, still has the admin DSN).
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from deploy.common import environment, run_dir, service_port
from deploy.keys import KeyFiles, key_files
from deploy.postgres.cluster import resolve_admin
from deploy.postgres.provision import AdminConnection, service_credentials
from shared.contracts.topics import SERVICES


@dataclass(frozen=True)
class Contract:
    """The infrastructure one stack runs on: what the environments are built from."""

    admin: AdminConnection
    kafka_bootstrap: str
    keys: KeyFiles

    @classmethod
    def resolve(cls) -> Contract:
        """The configured (or default) servers and key files, without starting anything."""
        return cls(resolve_admin(), environment().kafka_bootstrap, key_files())

    def shared(self) -> dict[str, str]:
        """What every service gets: where things are, nothing secret."""
        env = {
            "JIFEN_PG_HOST": self.admin.host,
            "JIFEN_PG_PORT": str(self.admin.port),
            "JIFEN_PG_DATABASE": self.admin.database,
            "JIFEN_KAFKA_BOOTSTRAP": self.kafka_bootstrap,
            "JIFEN_JWT_PUBLIC_KEY_FILE": str(self.keys.public_key_file),
            "JIFEN_RUN_DIR": str(run_dir()),
            "JIFEN_GATEWAY_URL": environment().gateway_url,
            "JIFEN_MAIL_SINK_DIR": str(environment().mail_sink_dir or run_dir() / "mail"),
        }
        for service in SERVICES:
            env[f"JIFEN_{service.upper()}_DB_USER"] = service_credentials(service, self.admin).user
            env[f"JIFEN_{service.upper()}_PORT"] = str(service_port(service))
        return env

    def for_service(self, service: str) -> dict[str, str]:
        """The shared contract plus the secrets :data:`SECRETS` grants ``service``."""
        own = {secret.variable(service): secret.value(self, service) for secret in granted(service)}
        return {**self.shared(), **own}

    def for_tests(self) -> dict[str, str]:
        """Everything: every service's secrets and the admin DSN (tests create throw-away schemas)."""
        env = self.shared()
        for service in SERVICES:
            env.update(self.for_service(service))
        env["JIFEN_ADMIN_DATABASE_URL"] = self.admin.dsn()
        return env


@dataclass(frozen=True)
class Secret:
    """One secret variable and the services that get it."""

    name: str
    """The variable; ``{SERVICE}`` stands for the receiving service (upper case)."""
    services: frozenset[str]
    value: Callable[[Contract, str], str]
    """(the infrastructure, the receiving service) -> the value."""

    def variable(self, service: str) -> str:
        return self.name.replace("{SERVICE}", service.upper())


ALL_SERVICES = frozenset(SERVICES)

SECRETS: tuple[Secret, ...] = (
    Secret(
        "JIFEN_{SERVICE}_DB_PASSWORD",
        ALL_SERVICES,
        lambda contract, service: service_credentials(service, contract.admin).password,
    ),
    Secret(
        "JIFEN_JWT_PRIVATE_KEY_FILE",
        frozenset({"accounts"}),
        lambda contract, _service: str(contract.keys.private_key_file),
    ),
    Secret(
        "JIFEN_CODE_SECRET_FILE",
        frozenset({"accounts"}),
        lambda contract, _service: str(contract.keys.code_secret_file),
    ),
    Secret(
        "JIFEN_SMTP_PASSWORD",
        frozenset({"accounts"}),
        lambda _contract, _service: environment().smtp_password or "",
    ),
    Secret(
        "JIFEN_PERSONAL_DATA_KEY_FILE",
        # accounts seals applicants' and units' data; applications, review and documents open
        # (and applications seals the submitted form for review and documents)
        frozenset({"accounts", "applications", "review", "documents"}),
        lambda contract, _service: str(contract.keys.personal_data_keyring),
    ),
)

ADMIN_ONLY: tuple[str, ...] = ("DATABASE_URL", "JIFEN_ADMIN_DATABASE_URL", "JIFEN_PG_ADMIN_PASSWORD")


def granted(service: str) -> list[Secret]:
    return [secret for secret in SECRETS if service in secret.services]


def secret_variables() -> frozenset[str]:
    """Every secret variable name, for any service (what a service must not inherit)."""
    names = {secret.variable(service) for secret in SECRETS for service in SERVICES}
    return frozenset(names | set(ADMIN_ONLY))


def without_secrets(inherited: Mapping[str, str]) -> dict[str, str]:
    """``inherited`` (e.g. ``os.environ`` of a test run, which holds everything) minus every secret."""
    refused = secret_variables()
    return {key: value for key, value in inherited.items() if key not in refused}


def export_lines(env: Mapping[str, str]) -> str:
    return "\n".join(f"export {key}={shlex.quote(value)}" for key, value in env.items())


def foreign_secrets(service: str, names: Iterable[str]) -> set[str]:
    """The secret variables among ``names`` that ``service`` must not have (checks of an environment)."""
    own = {secret.variable(service) for secret in granted(service)}
    return {name for name in names if name in secret_variables() and name not in own}
