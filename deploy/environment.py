"""The environment contract every service reads (names are fixed; see deploy/README.md).

JIFEN_PG_HOST, JIFEN_PG_PORT, JIFEN_PG_DATABASE
JIFEN_<SERVICE>_DB_USER, JIFEN_<SERVICE>_DB_PASSWORD       (SERVICE = ACCOUNTS, APPLICATIONS, ...)
JIFEN_KAFKA_BOOTSTRAP
JIFEN_<SERVICE>_PORT                                      (8001..8004)
JIFEN_JWT_PUBLIC_KEY_FILE, JIFEN_JWT_PRIVATE_KEY_FILE
JIFEN_RUN_DIR                                             (absolute .run)
JIFEN_ADMIN_DATABASE_URL                                  (admin DSN on the jifen database; tests only)
"""

from __future__ import annotations

import shlex

from deploy.common import environment, run_dir, service_port
from deploy.keys import JwtKeyFiles, jwt_key_files
from deploy.postgres.cluster import resolve_admin
from deploy.postgres.provision import AdminConnection, service_credentials
from shared.contracts.topics import SERVICES


def contract_env(
    admin: AdminConnection | None = None,
    *,
    kafka_bootstrap: str | None = None,
    keys: JwtKeyFiles | None = None,
) -> dict[str, str]:
    """The JIFEN_* variables for the given (or the resolved) infrastructure."""
    admin = admin or resolve_admin()
    keys = keys or jwt_key_files()
    env: dict[str, str] = {
        "JIFEN_PG_HOST": admin.host,
        "JIFEN_PG_PORT": str(admin.port),
        "JIFEN_PG_DATABASE": admin.database,
        "JIFEN_KAFKA_BOOTSTRAP": kafka_bootstrap or environment().kafka_bootstrap,
        "JIFEN_JWT_PUBLIC_KEY_FILE": str(keys.public_key_file),
        "JIFEN_JWT_PRIVATE_KEY_FILE": str(keys.private_key_file),
        "JIFEN_RUN_DIR": str(run_dir()),
        "JIFEN_ADMIN_DATABASE_URL": admin.dsn(),
        "JIFEN_GATEWAY_URL": environment().gateway_url,
    }
    for service in SERVICES:
        creds = service_credentials(service, admin)
        upper = service.upper()
        env[f"JIFEN_{upper}_DB_USER"] = creds.user
        env[f"JIFEN_{upper}_DB_PASSWORD"] = creds.password
        env[f"JIFEN_{upper}_PORT"] = str(service_port(service))
    return env


def export_lines(env: dict[str, str]) -> str:
    return "\n".join(f"export {key}={shlex.quote(value)}" for key, value in env.items())
