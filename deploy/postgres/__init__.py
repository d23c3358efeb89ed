"""PostgreSQL for Jifen (private cluster or DATABASE_URL) and its provisioning.

``python -m deploy.postgres ensure|stop|provision|status|dsn``; see :mod:`deploy.postgres.cluster`.
"""

from deploy.postgres.cluster import (
    AdminConnection,
    PostgresState,
    ServiceCredentials,
    ensure,
    provision,
    resolve_admin,
    service_credentials,
    stop,
)

__all__ = [
    "AdminConnection",
    "PostgresState",
    "ServiceCredentials",
    "ensure",
    "provision",
    "resolve_admin",
    "service_credentials",
    "stop",
]
