"""PostgreSQL for Jifen (private cluster or DATABASE_URL) and its provisioning.

``python -m deploy.postgres ensure|stop|provision|status|dsn``; see :mod:`deploy.postgres.cluster`.
"""
