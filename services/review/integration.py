"""What the review service publishes (OUTBOUND) and applies (INBOUND); see ``shared.platform.integration``.

Only what another context needs is published; every other domain event is private.
"""

from __future__ import annotations

from shared.platform.integration import Inbound, Outbound

OUTBOUND = Outbound()
INBOUND = Inbound()
