"""The mails accounts sends, as a side effect of its own events (tracked: a worker killed between
the decision and the send sends after its restart; a normal restart sends nothing twice).

Each mail's code is computed again from the event's request id (``AccountsService.code``): the
events hold only the code's digest. Mails are bilingual, Simplified Chinese first; the
``Message-ID`` is derived from the event (aggregate id and version), so a repeat is recognisable.

The unit's decision mails (审核通过 / 审核不通过) follow the decisions review publishes: the inbox
applies a decision once (tracking per partition; a decision repeated for a decided unit records
nothing), and only a recorded decision becomes a mail. Their recipient is the unit's HR contact as it
stood when the decision was recorded (the unit loaded at the event's version).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import anyio

from services.accounts.domain.applicant import Applicant
from services.accounts.domain.codes import ACTIVATION, RESET, display_code
from services.accounts.domain.credentials import Credentials
from services.accounts.domain.unit_registration import UnitRegistration
from services.accounts.service import AccountsService
from shared.kernel.districts import district_by_code
from shared.kernel.moments import shanghai_time
from shared.kernel.roles import Role
from shared.platform.application import ServiceApplication
from shared.platform.mail import Mail, SmtpSender, message_id
from shared.platform.projections import SideEffect, on
from shared.platform.settings import Settings

SUBJECT_PREFIX = "【上海居住证积分申请系统】"


class AccountMail(SideEffect):
    name = "account_mail"

    def __init__(self, sender: SmtpSender, service: AccountsService, portal: str) -> None:
        self.sender = sender
        self.service = service
        self.portal = portal.rstrip("/")

    @classmethod
    def factory(cls, settings: Settings, app: ServiceApplication) -> AccountMail:
        assert isinstance(app, AccountsService)
        return cls(SmtpSender.from_settings(settings), app, settings.gateway_url)

    def activation_mail(
        self, *, to: str, name: str, request_id: str, expires_at: datetime, mail_id: str
    ) -> Mail:
        code = display_code(self.service.code(ACTIVATION, request_id))
        url = f"{self.portal}/accounts/activate"
        body = (
            f"{name}，您好：\n\n"
            "您的单位已为您在上海居住证积分申请系统创建个人账号。请打开下面的页面，输入身份证号码和激活码，"
            "设置您自己的登录密码。\n\n"
            f"激活页面：{url}\n激活码：{code}\n有效期至：{shanghai_time(expires_at)}（北京时间）\n\n"
            "激活码只能使用一次。请勿把激活码告诉他人，工作人员不会向您索要激活码。\n\n"
            "--------\n\n"
            f"Dear {name},\n\n"
            "Your employer has created your personal account in the Shanghai residence-permit points "
            "system. Open the page below, enter your ID number and the activation code, and choose your "
            "own password.\n\n"
            f"Page: {url}\nActivation code: {code}\n"
            f"Valid until: {shanghai_time(expires_at)} (Beijing time)\n\n"
            "The code works once. Do not share it; no clerk will ever ask you for it.\n"
        )
        return Mail(to, f"{SUBJECT_PREFIX}账号激活码 / Activation code", body, mail_id)

    @on(Applicant.Registered, Applicant.ActivationReissued)
    async def activation(self, event: Applicant.Registered | Applicant.ActivationReissued) -> None:
        await self.sender.send(
            self.activation_mail(
                to=event.email,
                name=event.name,
                request_id=event.activation_request_id,
                expires_at=event.activation_expires_at,
                mail_id=message_id(event.originator_id, event.originator_version),
            )
        )

    @on(Credentials.ResetIssued)
    async def reset_issued(self, event: Credentials.ResetIssued) -> None:
        code = display_code(self.service.code(RESET, event.request_id))
        url = f"{self.portal}/accounts/reset"
        account_zh, account_en = (
            ("单位账号", "unit account")
            if event.role == Role.UNIT.value
            else ("个人账号", "personal account")
        )
        body = (
            f"{event.name}，您好：\n\n"
            f"区人才服务中心已受理您的{account_zh}密码重置申请。请打开下面的页面，输入账号和重置码，设置新密码。"
            "设置后，该账号所有已登录的会话都将退出。\n\n"
            f"重置页面：{url}\n重置码：{code}\n有效期至：{shanghai_time(event.expires_at)}（北京时间，24小时内有效）\n\n"
            "重置码只能使用一次。如果您没有申请重置密码，请立即联系区人才服务中心。\n\n"
            "--------\n\n"
            f"Dear {event.name},\n\n"
            f"A district talent centre has accepted the password reset of your {account_en}. Open the page "
            "below, enter the account and the reset code, and choose a new password. Every signed-in "
            "session of the account then ends.\n\n"
            f"Page: {url}\nReset code: {code}\n"
            f"Valid until: {shanghai_time(event.expires_at)} (Beijing time; 24 hours)\n\n"
            "The code works once. If you did not ask for a reset, contact the talent centre at once.\n"
        )
        await self.sender.send(
            Mail(
                event.email,
                f"{SUBJECT_PREFIX}密码重置码 / Password reset code",
                body,
                message_id(event.originator_id, event.originator_version),
            )
        )

    def _unit_at(self, unit_id: UUID, version: int) -> UnitRegistration:
        found: object = self.service.repository.get(unit_id, version=version)
        assert isinstance(found, UnitRegistration)
        return found

    @on(UnitRegistration.Approved, UnitRegistration.Rejected)
    async def unit_decided(self, event: UnitRegistration.Approved | UnitRegistration.Rejected) -> None:
        """审核通过 / 审核不通过, to the unit's HR specialist."""
        unit = await anyio.to_thread.run_sync(self._unit_at, event.originator_id, event.originator_version)
        district = district_by_code(event.district_code)
        centre_zh = f"{district.name.zh}人才服务中心" if district else "区人才服务中心"
        centre_en = f"the {district.name.en} talent centre" if district else "the district talent centre"
        login = f"{self.portal}/accounts/login/unit"
        greeting_zh, greeting_en = f"{unit.contact.hr_name}，您好：", f"Dear {unit.contact.hr_name},"
        unit_line = f"{event.unit_name}（统一社会信用代码 {event.credit_code}）"
        unit_line_en = f"{event.unit_name} (unified social credit code {event.credit_code})"
        if isinstance(event, UnitRegistration.Approved):
            subject = "单位注册审核通过 / Unit registration approved"
            body = (
                f"{greeting_zh}\n\n{unit_line}的单位注册已由{centre_zh}审核通过"
                f"（{shanghai_time(event.decided_at)}，北京时间）。\n\n"
                "现在可以用统一社会信用代码和密码登录，帮助申请人注册个人账号，并办理积分申请。\n\n"
                f"单位登录：{login}\n\n"
                "--------\n\n"
                f"{greeting_en}\n\n"
                f"The registration of {unit_line_en} was approved by {centre_en} on "
                f"{shanghai_time(event.decided_at)} (Beijing time).\n\n"
                "Sign in with the credit code and your password to create your applicants' personal "
                "accounts and file their points applications.\n\n"
                f"Unit sign-in: {login}\n"
            )
        else:
            subject = "单位注册审核不通过 / Unit registration not approved"
            body = (
                f"{greeting_zh}\n\n{unit_line}的单位注册经{centre_zh}审核，未予通过"
                f"（{shanghai_time(event.decided_at)}，北京时间）。\n\n"
                f"原因：{event.reason}\n\n"
                "请登录后修改单位信息并重新提交审核；如需补充材料，请带齐材料到单位注册地的区人才服务中心办理。\n\n"
                f"单位登录：{login}\n\n"
                "--------\n\n"
                f"{greeting_en}\n\n"
                f"{centre_en[0].upper() + centre_en[1:]} did not approve the registration of {unit_line_en} "
                f"({shanghai_time(event.decided_at)}, Beijing time).\n\n"
                f"Reason (as the centre wrote it): {event.reason}\n\n"
                "Sign in, correct the unit's details and submit them for review again; bring any missing "
                "materials to the talent centre of the unit's registered district.\n\n"
                f"Unit sign-in: {login}\n"
            )
        await self.sender.send(
            Mail(
                unit.contact.email,
                f"{SUBJECT_PREFIX}{subject}",
                body,
                message_id(event.originator_id, event.originator_version),
            )
        )


SIDE_EFFECTS = (AccountMail.factory,)
