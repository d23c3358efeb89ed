"""Published language of the accounts service (``jifen.accounts.events.v1``).

No secret ever travels here: no password, hash, code or token. Personal data another service needs
travels only inside a sealed field (``shared.platform.sealing``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.contracts.registry import published
from shared.contracts.topics import events_topic
from shared.kernel.roles import Role

ACCOUNTS_TOPIC = events_topic("accounts")


@published(source="accounts", topic=ACCOUNTS_TOPIC)
class SessionsRevoked(BaseModel):
    """Every token of the account issued before ``not_before`` is refused from now on, in every service.

    Published when a password changes (the user's own change or a window reset), when a clerk is
    deactivated, and on "sign out everywhere".
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    account_id: str = Field(min_length=1, description="the token's subject")
    role: Role
    not_before: AwareDatetime = Field(description="tokens issued (iat) before this instant are refused")
    reason: Literal["password_changed", "password_reset", "deactivated", "signed_out_everywhere"]
