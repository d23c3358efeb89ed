"""How the form's coded values read on paper.

The applications service publishes the form with its own codes (``SubmittedForm``: enums by value);
these tables give each code its printed label. A code not listed here prints as it came, so a value
added upstream never breaks a render.

``INDICATOR_NAMES`` and ``LEVEL_NAMES`` are the points rules' (today in
``services/applications/domain/points/rules.py``, which this service may not import); they are to be
read from ``shared.kernel.points`` once the points engine has moved there.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from shared.kernel.text import Text


def label_of(table: Mapping[str, Text], code: str | None) -> str:
    """The Chinese label of ``code`` (the form is printed in Chinese), the code itself if unknown."""
    if code is None:
        return ""
    found = table.get(code)
    return found.zh if found is not None else code


MARITAL_STATUS: Mapping[str, Text] = MappingProxyType(
    {
        "UNMARRIED": Text("未婚", "Unmarried"),
        "MARRIED": Text("已婚", "Married"),
        "DIVORCED": Text("离异", "Divorced"),
        "WIDOWED": Text("丧偶", "Widowed"),
    }
)

EDUCATION_ATTAINMENT: Mapping[str, Text] = MappingProxyType(
    {
        "DOCTORATE": Text("博士研究生", "Doctorate"),
        "MASTER": Text("硕士研究生", "Master's"),
        "BACHELOR": Text("大学本科", "Bachelor's"),
        "COLLEGE": Text("大学专科", "College diploma"),
        "SECONDARY_VOCATIONAL": Text("中专/中技/职高", "Secondary vocational"),
        "HIGH_SCHOOL": Text("普通高中", "High school"),
        "JUNIOR_HIGH_OR_BELOW": Text("初中及以下", "Junior high or below"),
    }
)

RESUME_KIND: Mapping[str, Text] = MappingProxyType(
    {
        "SCHOOL": Text("学习", "Study"),
        "WORK": Text("工作", "Work"),
        "UNEMPLOYED": Text("待业", "Unemployed"),
    }
)

INDICATOR_NAMES: Mapping[str, Text] = MappingProxyType(
    {
        "age": Text("年龄", "Age"),
        "education": Text("教育背景", "Education"),
        "qualification": Text("专业技术职称和技能等级", "Professional title and skill level"),
        "insurance_years": Text(
            "在本市工作及缴纳职工社会保险年限", "Years of work and employee social insurance in Shanghai"
        ),
        "shortage_major": Text("紧缺急需专业", "Shortage / urgently needed major"),
        "investment_tax": Text("投资纳税", "Investment tax"),
        "investment_hiring": Text("投资带动本地就业", "Investment creating local jobs"),
        "insurance_base": Text("缴纳职工社会保险费基数", "Social-insurance contribution base"),
        "public_service": Text("特定的公共服务领域", "Specific public-service fields"),
        "key_area": Text("远郊重点区域", "Remote suburbs / key areas"),
        "fresh_graduate": Text("全日制应届高校毕业生", "Full-time fresh graduate"),
        "award": Text("表彰奖励", "Awards"),
        "spouse": Text("配偶为本市户籍人员", "Spouse with Shanghai hukou"),
        "startup_founder": Text("创业人才（直接积满120分）", "Start-up founder (direct 120)"),
        "innovation_intermediary": Text(
            "创新创业中介服务人才（直接积满120分）", "Innovation intermediary (direct 120)"
        ),
        "false_materials": Text("提供虚假材料", "False materials"),
        "administrative_detention": Text("行政拘留", "Administrative detention"),
        "general_criminal_record": Text("一般刑事犯罪", "General criminal record"),
    }
)

DEDUCTION_INDICATORS: frozenset[str] = frozenset(
    {"false_materials", "administrative_detention", "general_criminal_record"}
)
"""Indicators whose points are subtracted (the rules' deduction rows)."""

LEVEL_NAMES: Mapping[str, Text] = MappingProxyType(
    {
        "college_diploma": Text("大专（高职）", "college diploma"),
        "undergraduate_no_degree": Text("本科（无学位）", "undergraduate record without degree"),
        "bachelor": Text("本科及学士学位", "bachelor's degree"),
        "master": Text("硕士研究生学历及学位", "master's record and degree"),
        "doctorate": Text("博士研究生学历及学位", "doctoral record and degree"),
        "skill_level_5": Text("五级（初级工）职业资格", "skill level 5"),
        "skill_level_4": Text("四级（中级工）职业资格", "skill level 4"),
        "skill_level_3": Text("三级（高级工）职业资格", "skill level 3"),
        "skill_level_2": Text("二级（技师）职业资格", "skill level 2 (technician)"),
        "skill_level_1": Text("一级（高级技师）职业资格", "skill level 1 (senior technician)"),
        "intermediate_title": Text("中级专业技术职称", "intermediate professional title"),
        "senior_title": Text("高级专业技术职称", "senior professional title"),
        "municipal_special": Text("市级机关专项性表彰奖励", "municipal special award"),
        "municipal_comprehensive": Text("市级综合性表彰奖励", "municipal comprehensive award"),
        "provincial_or_higher": Text("省部级及以上政府表彰奖励", "provincial/ministerial or higher award"),
        "lingang": Text("临港新片区", "Lingang New Area"),
        "other": Text("其他重点区域", "other key area"),
    }
)
