"""What the two documents say: the published facts turned into the plain strings the templates print.

Everything is decided here (labels, dates on Shanghai's clock, amounts, notes), so the Typst
templates only lay out what they are given. ``scoring_claims`` and ``deductions`` are the points
rules' own records; they are read field by field and a field this service does not know is left out
(the form may grow upstream without breaking a render).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from services.documents.domain.vocabulary import (
    EDUCATION_ATTAINMENT,
    MARITAL_STATUS,
    RESUME_KIND,
    label_of,
)
from shared.contracts.applications import (
    ApplicationApproved,
    ApplicationSubmitted,
    ScoreLine,
    SubmittedForm,
    SubmittedResumeEntry,
)
from shared.kernel.districts import district_label
from shared.kernel.id_number import Sex
from shared.kernel.moments import shanghai_date, shanghai_time
from shared.kernel.points import DEDUCTION_INDICATORS, INDICATOR_NAMES, LEVEL_NAMES
from shared.kernel.roles import Role

Content = dict[str, Any]
Row = list[str]

FORM_TITLE = "上海市居住证积分申请表"
NOTICE_TITLE = "上海市居住证积分通知书"
YES, NO = "是", "否"

PLEDGES: Mapping[Role, tuple[str, str]] = {
    Role.UNIT: (
        "用人单位承诺与授权",
        "本单位承诺：所申报的申请人信息及提交的材料真实、准确、完整，如有虚假，本单位愿承担相应的法律责任"
        "及由此产生的一切后果。本单位授权人力资源社会保障部门及相关部门对申报信息进行核查。",
    ),
    Role.APPLICANT: (
        "申请人承诺与授权",
        "本人承诺：所填写的个人信息及提交的材料真实、准确、完整，如有虚假，本人愿承担相应的法律责任及由此"
        "产生的一切后果。本人授权人力资源社会保障部门及相关部门对本人的申报信息进行核查。",
    ),
}


# ------------------------------------------------------------------------------------ formatting


def _day(value: date | None) -> str:
    return "" if value is None else f"{value.year}年{value.month:02d}月{value.day:02d}日"


def _month(value: date | None) -> str:
    return "至今" if value is None else f"{value.year}年{value.month:02d}月"


def _iso_day(value: Any) -> str:
    """A date the rules' records hold as ISO text."""
    try:
        return _day(date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _iso_month(value: Any) -> str:
    try:
        return _month(date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _yes_no(value: Any) -> str:
    return YES if value else NO


def _yuan(value: Any) -> str:
    try:
        return f"{int(value):,}元"
    except (TypeError, ValueError):
        return str(value)


# ------------------------------------------------------------------------------------ the form


def form_content(submitted: ApplicationSubmitted, form: SubmittedForm) -> Content:
    """The application form (积分申请表) of one submission."""
    info = form.personal_info
    return {
        "title": FORM_TITLE,
        "cover": [
            ["流水号", submitted.application_number],
            ["申请人", info.name],
            ["申请单位", submitted.unit_name],
            ["单位代码（统一社会信用代码）", submitted.unit_credit_code],
            ["受理区", district_label(submitted.district).zh],
            ["办理类型", submitted.kind.label.zh],
            ["填表日期", _day(shanghai_date(submitted.submitted_at))],
            ["版本", f"第{submitted.submission}次提交"],
        ],
        "application_number": submitted.application_number,
        "kind": submitted.kind.label.zh,
        "pledges": [_pledge(form, party) for party in (Role.UNIT, Role.APPLICANT)],
        "personal": _personal(form),
        "employment": [
            ["单位代码", submitted.unit_credit_code],
            ["单位名称", submitted.unit_name],
            ["现工作岗位", info.employment.post],
            ["合同起始日期", _day(info.employment.contract_start)],
            [
                "合同终止日期",
                _day(info.employment.contract_end) if info.employment.contract_end else "无固定期限",
            ],
        ],
        "resume": [_resume_row(entry) for entry in form.resume.entries],
        "resume_note": (
            "简历超过8段：另附A4纸列明全部经历，由申请人签字并加盖单位公章。"
            if form.resume.full_history_sheet_confirmed or len(form.resume.entries) > 8
            else ""
        ),
        "family": _family(form),
        "investment": _investment(form),
        "claims": _claims(form.scoring_claims),
        "deductions": _deductions(form.deductions),
        "lines": _lines(submitted.declared_lines),
        "total": str(submitted.declared_total),
        "pass_mark": str(submitted.pass_mark),
        "materials": [[str(number), item.name_zh] for number, item in enumerate(submitted.materials, 1)],
    }


def _pledge(form: SubmittedForm, party: Role) -> Content:
    heading, text = PLEDGES[party]
    accepted = next((p for p in form.pledges if p.party is party), None)
    online = (
        f"已于{_day(shanghai_date(accepted.accepted_at))} "
        f"{shanghai_time(accepted.accepted_at, '%H:%M')}网上确认（承诺书版本 {accepted.text_version}）"
        if accepted is not None
        else "未在网上确认"
    )
    signer = "单位（盖章）：" if party is Role.UNIT else "申请人（签字）："
    return {"heading": heading, "text": text, "online": online, "signer": signer}


def _personal(form: SubmittedForm) -> list[Row]:
    info = form.personal_info
    sex = _sex(info.sex)
    return [
        ["姓名", info.name],
        ["曾用名", info.former_name],
        ["性别", sex],
        ["民族", info.ethnicity],
        ["政治面貌", info.political_status],
        ["婚姻状况", label_of(MARITAL_STATUS, info.marital_status)],
        ["身份证号码", info.id_number],
        ["文化程度", label_of(EDUCATION_ATTAINMENT, info.highest_education)],
        [
            "居住证有效期",
            f"{_day(info.residence_permit_valid_from)}至{_day(info.residence_permit_valid_until)}",
        ],
        ["手机号码", info.mobile],
        ["固定电话", info.landline],
        [
            "户籍地址",
            info.hukou_address
            + ("（按户口本填写，与身份证地址不一致）" if info.hukou_address_differs_from_id_card else ""),
        ],
        ["在沪居住地址", info.shanghai_address],
    ]


def _sex(code: str | None) -> str:
    try:
        return Sex(code).label.zh if code else ""
    except ValueError:
        return code or ""


def _resume_row(entry: SubmittedResumeEntry) -> Row:
    return [
        _month(entry.start_month),
        _month(entry.end_month),
        label_of(RESUME_KIND, entry.kind),
        entry.region,
        entry.organisation,
        entry.post,
    ]


def _family(form: SubmittedForm) -> list[Row]:
    rows: list[Row] = []
    spouse = form.family.spouse
    if spouse is not None:
        rows.append(
            [
                "配偶",
                spouse.name,
                spouse.id_number,
                spouse.hukou_address,
                f"本市户籍：{_yes_no(spouse.has_shanghai_hukou)}；结婚日期：{_day(spouse.married_on)}",
            ]
        )
    for child in form.family.children:
        rows.append(
            [
                "子女",
                child.name,
                child.id_number,
                child.hukou_address,
                f"享受积分相关待遇：{_yes_no(child.enjoys_points_benefits)}",
            ]
        )
    return rows


def _investment(form: SubmittedForm) -> Content:
    investment = form.investment
    if not investment.has_investment:
        return {"summary": [["投资创业情况", "无"]], "years": []}
    share = f"{investment.share_percent}%" if investment.share_percent is not None else ""
    return {
        "summary": [
            ["投资创业情况", "有"],
            ["企业名称", investment.enterprise_name],
            ["本人出资比例", share],
        ],
        "years": [
            [f"{year.year}年", _yuan(year.tax_paid_yuan), f"{year.shanghai_hukou_staff}人"]
            for year in investment.years
        ],
    }


def _claims(claims: Mapping[str, Any]) -> list[Row]:
    """积分指标申报: each claimed item with its particulars, in the rules' order."""
    rows: list[Row] = []
    if (education := claims.get("education")) is not None:
        rows.append(
            [
                "教育背景",
                _join(
                    label_of(LEVEL_NAMES, education.get("level")),
                    education.get("institution"),
                    _labelled("专业", education.get("major")),
                    "" if education.get("nationally_recognised", True) else "未经国家认证",
                ),
            ]
        )
    for item in _items(claims.get("qualifications")):
        rows.append(
            [
                "专业技术职称和技能等级",
                _join(
                    label_of(LEVEL_NAMES, item.get("level")),
                    item.get("certificate_name"),
                    _labelled("证书编号", item.get("certificate_number")),
                    f"在沪工作期间取得：{_yes_no(item.get('obtained_while_working_in_shanghai'))}",
                    f"与现岗位相符：{_yes_no(item.get('matches_post'))}",
                ),
            ]
        )
    if (insurance := claims.get("social_insurance")) is not None:
        rows.append(["在本市缴纳职工社会保险", _insurance(insurance)])
    if (major := claims.get("shortage_major")) is not None:
        rows.append(
            [
                "紧缺急需专业",
                _join(
                    major.get("major_name"),
                    _labelled("专业代码", major.get("major_code")),
                    f"岗位与专业相符：{_yes_no(major.get('post_matches_major'))}",
                ),
            ]
        )
    if (investment := claims.get("investment")) is not None:
        taxes = "、".join(_yuan(v) for v in investment.get("annual_tax_paid_yuan", []))
        hires = "、".join(f"{v}人" for v in investment.get("annual_shanghai_hukou_hires", []))
        rows.append(
            [
                "投资纳税或投资带动本地就业",
                _join(
                    investment.get("enterprise_name"),
                    _labelled("本人出资比例", f"{investment.get('share_percent')}%"),
                    _labelled("近三年纳税", taxes),
                    _labelled("近三年聘用本市户籍人员", hires),
                ),
            ]
        )
    if (public := claims.get("public_service")) is not None:
        rows.append(["特定的公共服务领域", _join(public.get("field"), f"工作满{public.get('full_years')}年")])
    for area in _items(claims.get("key_areas")):
        rows.append(
            [
                "远郊重点区域",
                _join(
                    label_of(LEVEL_NAMES, area.get("kind")),
                    _labelled("区域代码", area.get("area_code")),
                    f"工作满{area.get('full_years')}年",
                    f"在该区域居住：{_yes_no(area.get('lives_in_area'))}",
                ),
            ]
        )
    if (spouse := claims.get("spouse")) is not None:
        rows.append(
            [
                "配偶为本市户籍人员",
                _join(
                    spouse.get("spouse_name"),
                    f"配偶本市户籍：{_yes_no(spouse.get('spouse_has_shanghai_hukou'))}",
                    _labelled("结婚日期", _iso_day(spouse.get("married_on"))),
                ),
            ]
        )
    for award in _items(claims.get("awards")):
        rows.append(
            [
                "表彰奖励",
                _join(
                    award.get("award_name"),
                    label_of(LEVEL_NAMES, award.get("level")),
                    _labelled("获奖日期", _iso_day(award.get("received_on"))),
                    f"在沪工作期间获得：{_yes_no(award.get('received_while_working_in_shanghai'))}",
                ),
            ]
        )
    if claims.get("full_time_fresh_graduate"):
        rows.append(["全日制应届高校毕业生", YES])
    if (founder := claims.get("startup_founder")) is not None:
        rows.append(
            [
                "创业人才",
                _join(
                    founder.get("enterprise_name"),
                    _labelled("持股比例", f"{founder.get('share_percent')}%"),
                    f"连续在孵{founder.get('consecutive_months_in_incubator')}个月",
                    f"仍在孵化器内：{_yes_no(founder.get('still_in_incubator'))}",
                    f"入孵或获投资前已持股：{_yes_no(founder.get('shares_held_before_incubation_or_investment'))}",
                ),
            ]
        )
    if (intermediary := claims.get("innovation_intermediary")) is not None:
        rows.append(
            [
                "创新创业中介服务人才",
                _join(
                    intermediary.get("agency_name"),
                    f"连续从事技术转移{intermediary.get('consecutive_months_in_technology_transfer')}个月",
                ),
            ]
        )
    return rows or [["积分指标", "未申报加分项目"]]


def _insurance(insurance: Mapping[str, Any]) -> str:
    history = _items(insurance.get("history"))
    parts = [f"累计缴费{insurance.get('contribution_months', 0)}个月"]
    if history:
        multiples = sorted(float(month.get("base_multiple", 0)) for month in history)
        back_paid = sum(1 for month in history if month.get("back_payment"))
        months = sorted(str(month.get("month", "")) for month in history)
        parts.append(
            f"缴费记录{len(history)}个月（{_iso_month(months[0])}至{_iso_month(months[-1])}），"
            f"缴费基数为上年度本市职工平均工资的{multiples[0]:g}至{multiples[-1]:g}倍"
            + (f"，其中补缴{back_paid}个月" if back_paid else "")
        )
    return "；".join(parts)


def _deductions(deductions: Mapping[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for key, name in (
        ("false_materials", "提供虚假材料"),
        ("administrative_detentions", "行政拘留"),
        ("general_criminal_records", "一般刑事犯罪"),
    ):
        records = _items(deductions.get(key))
        detail = "；".join(_join(_iso_day(record.get("on")), record.get("reference")) for record in records)
        rows.append([name, f"{len(records)}条：{detail}" if records else "无"])
    rows.append(["违反国家或本市计划生育政策", "有" if deductions.get("family_planning_violation") else "无"])
    rows.append(["严重刑事犯罪记录", "有" if deductions.get("serious_criminal_record") else "无"])
    return rows


def _lines(lines: Iterable[ScoreLine]) -> list[Row]:
    return [
        [
            label_of(INDICATOR_NAMES, line.indicator),
            f"−{abs(line.points)}"
            if line.indicator in DEDUCTION_INDICATORS and line.points
            else str(line.points),
            "" if line.cap is None else str(line.cap),
            "计入" if line.counted else "不计入",
        ]
        for line in lines
    ]


def _items(value: Any) -> list[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _labelled(label: str, value: Any) -> str:
    return f"{label}：{value}" if value not in (None, "", "None%", "%") else ""


def _join(*parts: Any) -> str:
    return "；".join(str(part) for part in parts if part not in (None, ""))


# ------------------------------------------------------------------------------------ the notice


def notice_content(
    approved: ApplicationApproved,
    form: SubmittedForm,
    *,
    version: int,
    verification_code: str,
    verify_url: str,
) -> Content:
    """The points notice (积分通知书) of one approval."""
    district = district_label(approved.district).zh
    scored = [line for line in approved.verified_lines if line.counted and line.points]
    return {
        "title": NOTICE_TITLE,
        "application_number": approved.application_number,
        "holder": form.personal_info.name,
        "id_masked": approved.applicant_id_masked,
        "facts": [
            ["申请人", form.personal_info.name],
            ["身份证号码", approved.applicant_id_masked],
            ["申请单位", approved.unit_name],
            ["流水号", approved.application_number],
            ["办理类型", approved.kind.label.zh],
        ],
        "lines": [[row[0], row[1]] for row in _lines(scored)],
        "total": str(approved.verified_total),
        "pass_mark": str(approved.pass_mark),
        "reached": approved.verified_total >= approved.pass_mark,
        "validity": "积分有效期与《上海市居住证》有效期一致，居住证签注或信息变更后应按规定办理积分续办。",
        "issuer": f"上海市{district}人力资源和社会保障局",
        "date": _day(shanghai_date(approved.approved_at)),
        "version": f"第{version}版" if version > 1 else "",
        "code": verification_code,
        "verify_url": verify_url,
    }
