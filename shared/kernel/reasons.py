"""Reasons people write for someone else to read: a clerk's decision (不予受理, 退回补正, 审批不通过,
申请撤销, a unit registration not approved) and a unit's return of an application to its applicant
(单位退回)."""

from __future__ import annotations

REASON_MAX_LENGTH = 500
"""Characters of one reason: it must fit on the notice and in the timeline that show it."""
