"""The unit's decision mails (审核通过 / 审核不通过) on real PostgreSQL, Kafka and an SMTP sink: review's
decisions arrive through the inbox, and a redelivered decision (the same envelope again, as a relay
re-publishes after a crash) or a decision repeated for a decided unit sends no second mail.

A reset authorised for the same unit is published after the repeats, with the same key (so on the
same partition, behind them): once its mail has arrived, the repeats have been consumed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from shared.contracts.review import UnitRegistrationRejected
from tests.integration.test_accounts_units_and_applicants import registered_unit
from tests.support.accounts import Sink, accounts_world, approval, decision, unit_form, unit_reset

pytestmark = [pytest.mark.infra, pytest.mark.anyio, pytest.mark.timeout(240)]


async def subjects_once_the_marker_arrived(sink: Sink, email: str, count: int) -> list[str]:
    """The subjects sent to ``email``, after the reset mail (the marker, the last expected) came."""
    found = await sink.wait_for(email, count)
    assert "密码重置码" in found[-1].subject, [m.subject for m in found]
    return [m.subject for m in sink.mails(email)]


async def test_a_redelivered_approval_sends_one_approval_mail(infra: Any, tmp_path: Path) -> None:
    async with accounts_world(infra, tmp_path / "mail") as world:
        bus, sink, client = world.bus, world.sink, world.client
        unit_id, code, _ = await registered_unit(client, bus, approve=False)
        email = unit_form(code)["email"]
        first = await bus.publish(approval(unit_id, code), subject=unit_id)
        await bus.send(first)  # the same envelope again: a duplicate for the inbox
        await bus.publish(approval(unit_id, code), subject=unit_id)  # decided already: ignored
        await bus.publish(unit_reset(code, "310115"), subject=unit_id)

        subjects = await subjects_once_the_marker_arrived(sink, email, 2)
        assert subjects == [
            "【上海居住证积分申请系统】单位注册审核通过 / Unit registration approved",
            "【上海居住证积分申请系统】密码重置码 / Password reset code",
        ]
        [mail] = [m for m in sink.mails(email) if "审核通过" in m.subject]
        assert mail.body.index("审核通过") < mail.body.index("approved"), "Chinese first"
        assert "上海测试科技有限公司" in mail.body and code in mail.body
        assert "浦东新区人才服务中心" in mail.body and "Pudong New Area talent centre" in mail.body
        assert "/accounts/login/unit" in mail.body
        assert mail.body.startswith("王敏，您好")


async def test_a_redelivered_rejection_sends_one_mail_with_the_reason(infra: Any, tmp_path: Path) -> None:
    async with accounts_world(infra, tmp_path / "mail") as world:
        bus, sink, client = world.bus, world.sink, world.client
        unit_id, code, _ = await registered_unit(client, bus, approve=False)
        email = unit_form(code)["email"]
        rejection = UnitRegistrationRejected(
            unit_id=unit_id, credit_code=code, decision=decision(), reason="营业执照复印件模糊，请重新提交"
        )
        first = await bus.publish(rejection, subject=unit_id)
        await bus.send(first)
        await bus.send(first)
        await bus.publish(unit_reset(code, "310115"), subject=unit_id)

        subjects = await subjects_once_the_marker_arrived(sink, email, 2)
        assert subjects == [
            "【上海居住证积分申请系统】单位注册审核不通过 / Unit registration not approved",
            "【上海居住证积分申请系统】密码重置码 / Password reset code",
        ]
        [mail] = [m for m in sink.mails(email) if "审核不通过" in m.subject]
        assert "原因：营业执照复印件模糊，请重新提交" in mail.body
        assert "Reason (as the centre wrote it): 营业执照复印件模糊，请重新提交" in mail.body
        assert "重新提交" in mail.body and "submit them for review again" in mail.body
