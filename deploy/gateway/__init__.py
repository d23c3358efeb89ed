"""The nginx gateway (``python -m deploy.gateway ensure|stop|render|status``).

See :mod:`deploy.gateway.gateway`.
"""
