"""The unit's decision mails (审核通过 / 审核不通过) on real PostgreSQL, Kafka and an SMTP sink: review's
decisions arrive through the inbox, and a redelivered decision (the same envelope again, as a relay
re-publishes after a crash) or a decision repeated for a decided unit sends no second mail.

A reset authorised for the same unit is published after the repeats, with the same key (so on the
same partition, behind them), and the mails follow the service's log in order: once the reset's mail
has arrived, the repeats have been consumed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from shared.contracts.review import UnitRegistrationRejected
from shared.platform.mail import StoredMail
from tests.integration.test_accounts_units_and_applicants import registered_unit
from tests.support.accounts import AccountsWorld, accounts_world, approval, decision, unit_form, unit_reset

pytestmark = [pytest.mark.infra, pytest.mark.anyio, pytest.mark.timeout(240)]


async def mails_after_repeats(
    world: AccountsWorld, decide: Callable[[str, str], BaseModel]
) -> tuple[list[str], StoredMail]:
    """Review's decision for a new unit, the same envelope again (a relay's re-publish: a duplicate for
    the inbox), the decision once more (review deciding again: the unit is decided), then the marker.
    The subjects sent to the unit once the marker's mail came, and the first mail."""
    unit_id, code, _ = await registered_unit(world.client, world.bus, approve=False)
    email = unit_form(code)["email"]
    first = await world.bus.publish(decide(unit_id, code), subject=unit_id)
    await world.bus.send(first)
    await world.bus.publish(decide(unit_id, code), subject=unit_id)
    await world.bus.publish(unit_reset(code, "310115"), subject=unit_id)
    found = await world.sink.wait_for(email, 2)
    assert "密码重置码" in found[-1].subject, [m.subject for m in found]
    mails = world.sink.mails(email)
    assert code in mails[0].body
    return [m.subject for m in mails], mails[0]


async def test_a_redelivered_approval_sends_one_approval_mail(infra: Any, tmp_path: Path) -> None:
    async with accounts_world(infra, tmp_path / "mail") as world:
        subjects, mail = await mails_after_repeats(world, approval)
    assert subjects == [
        "【上海居住证积分申请系统】单位注册审核通过 / Unit registration approved",
        "【上海居住证积分申请系统】密码重置码 / Password reset code",
    ]
    assert mail.body.startswith("王敏，您好")
    assert mail.body.index("审核通过") < mail.body.index("approved"), "Chinese first"
    assert "上海测试科技有限公司" in mail.body
    assert "浦东新区人才服务中心" in mail.body and "Pudong New Area talent centre" in mail.body
    assert "/accounts/login/unit" in mail.body


def rejection(unit_id: str, code: str) -> UnitRegistrationRejected:
    return UnitRegistrationRejected(
        unit_id=unit_id, credit_code=code, decision=decision(), reason="营业执照复印件模糊，请重新提交"
    )


async def test_a_redelivered_rejection_sends_one_mail_with_the_reason(infra: Any, tmp_path: Path) -> None:
    async with accounts_world(infra, tmp_path / "mail") as world:
        subjects, mail = await mails_after_repeats(world, rejection)
    assert subjects == [
        "【上海居住证积分申请系统】单位注册审核不通过 / Unit registration not approved",
        "【上海居住证积分申请系统】密码重置码 / Password reset code",
    ]
    assert "原因：营业执照复印件模糊，请重新提交" in mail.body
    assert "Reason (as the centre wrote it): 营业执照复印件模糊，请重新提交" in mail.body
    assert "请登录后修改单位信息并重新提交审核" in mail.body and "submit them for review again" in mail.body
