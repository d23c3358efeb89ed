"""The vocabulary of a points application's progress: its status (办理状态) and its kind (新办 / 续办).

The applications service decides the status (its status machine is
``services/applications/domain/status.py``); review and documents show it, and the status contract
(``jifen.applications.status.v1``) carries the codes. The labels are defined here, once, and every
page shows these.

Sources: the seed page (完成 → 单位审核通过 → 等待受理 → 受理通过 → 等待审批 → 审批通过; "新办则显示:(新办),
续办则显示:(续办)") and domain.md §2d. The labels are provisional (domain.md §6.1): no source shows the
official UI's exact wording.
"""

from __future__ import annotations

from shared.kernel.text import LabelledEnum, Text


class ApplicationStatus(LabelledEnum):
    """Where an application stands. The codes are the wire names (events, contracts, URLs)."""

    DRAFT = "DRAFT", Text("填写中", "Being filled in")
    COMPLETED = "COMPLETED", Text("已完成", "Completed")
    RETURNED_BY_UNIT = "RETURNED_BY_UNIT", Text("单位退回", "Returned by the unit")
    UNIT_APPROVED = "UNIT_APPROVED", Text("单位审核通过", "Approved by the unit")
    AWAITING_ACCEPTANCE = "AWAITING_ACCEPTANCE", Text("等待受理", "Awaiting acceptance")
    ACCEPTED = "ACCEPTED", Text("受理通过", "Accepted")
    NOT_ACCEPTED = "NOT_ACCEPTED", Text("不予受理", "Not accepted")
    RETURNED_FOR_CORRECTION = "RETURNED_FOR_CORRECTION", Text("退回补正", "Returned for correction")
    AWAITING_APPROVAL = "AWAITING_APPROVAL", Text("等待审批", "Awaiting approval")
    APPROVED = "APPROVED", Text("审批通过", "Approved")
    REJECTED = "REJECTED", Text("审批不通过", "Not approved")
    WITHDRAWN = "WITHDRAWN", Text("已撤销", "Withdrawn")


class ApplicationKind(LabelledEnum):
    """新办 (first application) or 续办 (renewal); shown next to 等待受理 in the unit's list."""

    NEW = "NEW", Text("新办", "New application")
    RENEWAL = "RENEWAL", Text("续办", "Renewal")
