"""The review service's eventsourcing application: the talent-centre clerks' cases and decisions.

Commands are its methods (load, decide, ``save``); queries by id read its repository. It applies the
applications' and accounts' events it needs through its INBOUND table.
"""

from __future__ import annotations

from shared.platform.application import ServiceApplication


class ReviewService(ServiceApplication):
    name = "review"
    """Prefixes the tables (review_events, review_tracking), env lookups and tracking names.

    Never rename it."""
