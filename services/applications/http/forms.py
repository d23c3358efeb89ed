"""The form pages' codecs: a section (or one page of it) to the flat fields of an HTML form, and the
fields a user posted back to the section, with a field error for every value that is not even well
formed (a date that does not exist, a letter in a number, no choice made). The section's own rules are
the domain's (``domain.sections``); a page shows both kinds of error the same way.

Field names are paths inside the section, dots between levels and row numbers as a level
(``employment.post``, ``entries.2.end_month``); a date is three inputs ``<name>-year|-month|-day``, a
month two. ``field_id`` turns the domain's error paths (``resume.entries[2].end_month``) into the ids
of the inputs they belong to, so each error in the summary links to its field.

Repeating groups (resume entries, children, titles, awards...) are rows ``<group>.<n>.<field>``.
Blank rows are dropped and the rest numbered from 0 again (``Rows``), so that the domain's indexes and
the re-rendered page agree. Without JavaScript a row is added or removed by a submit button
(``action=add:<group>`` / ``action=remove:<group>:<n>``) that re-renders the page without saving.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import TypeVar

from services.applications.domain.sections.common import month_index
from services.applications.domain.sections.family import Child, Family, Spouse
from services.applications.domain.sections.investment import YEARS_REQUIRED, Investment, InvestmentYear
from services.applications.domain.sections.names import SectionName
from services.applications.domain.sections.personal import Employment, PersonalInfo, validate_personal_text
from services.applications.domain.sections.resume import MAX_ONLINE_ENTRIES, Resume, ResumeEntry
from shared.kernel.errors import FieldError
from shared.kernel.form_codes import EducationAttainment, MaritalStatus, ResumeEntryKind
from shared.kernel.id_number import Sex
from shared.kernel.points.claims import (
    AwardClaim,
    AwardLevel,
    DeductionClaims,
    EducationClaim,
    EducationLevel,
    InnovationIntermediaryClaim,
    KeyAreaClaim,
    KeyAreaKind,
    MonthlyContribution,
    PublicServiceClaim,
    QualificationClaim,
    QualificationLevel,
    RecordedIncident,
    ScoringClaims,
    ShortageMajorClaim,
    SocialInsuranceClaim,
    StartupFounderClaim,
)
from shared.kernel.text import Text
from shared.platform.i18n import SUPPORTED_LANGS, t

Values = dict[str, str]
"""A form's fields by name (one value each)."""

E = TypeVar("E", bound=Enum)
T = TypeVar("T")

YES, NO = "yes", "no"

_DATE_FIELD = re.compile(r"(^on|\.on|_on|month|valid_from|valid_until|contract_start|contract_end)$")


def field_id(path: str, section: SectionName | None = None) -> str:
    """The id of the input a domain error path belongs to: ``resume.entries[2].end_month`` ->
    ``entries.2.end_month-year`` (dates and months are linked by their year input)."""
    if section is not None and path.startswith(f"{section.value}."):
        path = path[len(section.value) + 1 :]
    name = re.sub(r"\[(\d+)\]", r".\1", path)
    return f"{name}-year" if _DATE_FIELD.search(name) else name


_INDEX = re.compile(r"\.\d+(?=\.)")


def _message(key: str, section: SectionName, name: str) -> Text:
    """The catalogue message ``key`` naming the field ``name`` by its label on the page."""
    label_key = f"applications.f.{section.value}.{_INDEX.sub('', name)}"
    zh, en = (t(key, lang, field=t(label_key, lang)) for lang in SUPPORTED_LANGS)
    return Text(zh, en)


class FormReader:
    """Reads the posted fields of one section, collecting a field error for each malformed value."""

    def __init__(self, values: Mapping[str, str], section: SectionName) -> None:
        self.values = values
        self.section = section
        self.errors: list[FieldError] = []

    def error(self, name: str, code: str, key: str) -> None:
        self.errors.append(FieldError(name, code, _message(key, self.section, name), self.section.value))

    def raw(self, name: str) -> str:
        return self.values.get(name, "").strip()

    def ascii(self, name: str) -> str:
        """A number or date part as typed, full-width digits and signs (a Chinese input method) as ASCII."""
        return unicodedata.normalize("NFKC", self.raw(name)).strip()

    def text(self, name: str) -> str:
        return self.raw(name)

    def choice(self, name: str, kind: type[E], *, required: bool = True) -> E | None:
        raw = self.raw(name)
        if not raw:
            if required:
                self.error(name, "required", "applications.validation.choose")
            return None
        try:
            return kind(raw)
        except ValueError:
            self.error(name, "choice", "applications.validation.choose")
            return None

    def yes_no(self, name: str, *, default: bool | None = None) -> bool | None:
        """A yes/no question; blank is ``default`` (an error when there is none)."""
        raw = self.raw(name)
        if raw in (YES, NO):
            return raw == YES
        if not raw and default is not None:
            return default
        self.error(name, "required" if not raw else "boolean", "applications.validation.choose")
        return None

    def checkbox(self, name: str) -> bool:
        return self.raw(name) == YES

    def full_date(self, name: str, *, required: bool = True) -> date | None:
        return self._date(name, ("year", "month", "day"), required)

    def month(self, name: str, *, required: bool = True) -> date | None:
        """A month (year and month inputs), as the 1st of the month."""
        return self._date(name, ("year", "month"), required)

    def _date(self, name: str, parts: tuple[str, ...], required: bool) -> date | None:
        raw = [self.ascii(f"{name}-{part}") for part in parts]
        if not any(raw):
            if required:
                self.error(name, "required", "applications.validation.date_required")
            return None
        try:
            numbers = [int(value) for value in raw]
            return date(numbers[0], numbers[1], numbers[2] if len(numbers) == 3 else 1)
        except ValueError:
            key = "applications.validation.date" if len(parts) == 3 else "applications.validation.month"
            self.error(name, "date", key)
            return None

    def integer(self, name: str, *, required: bool = True) -> int | None:
        raw = self.ascii(name).replace(",", "")
        if not raw:
            if required:
                self.error(name, "required", "applications.validation.required")
            return None
        if not re.fullmatch(r"-?\d+", raw):
            self.error(name, "integer", "applications.validation.integer")
            return None
        return int(raw)

    def decimal(self, name: str, *, required: bool = True) -> Decimal | None:
        raw = self.ascii(name).replace(",", "").removesuffix("%").strip()
        if not raw:
            if required:
                self.error(name, "required", "applications.validation.required")
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            self.error(name, "number", "applications.validation.number")
            return None
        return value

    def rows(self, group: str) -> Rows:
        return Rows.of(self.values, group)


@dataclass(frozen=True)
class Rows:
    """The non-blank rows of a repeating group, numbered from 0 in the order they were posted."""

    group: str
    values: tuple[Values, ...]
    """Each row's fields without the ``<group>.<n>.`` prefix."""

    @classmethod
    def of(cls, values: Mapping[str, str], group: str) -> Rows:
        found: dict[int, Values] = {}
        pattern = re.compile(rf"^{re.escape(group)}\.(\d+)\.(.+)$")
        for name, value in values.items():
            match = pattern.match(name)
            if match:
                found.setdefault(int(match.group(1)), {})[match.group(2)] = value
        kept = [row for _, row in sorted(found.items()) if any(v.strip() for v in row.values() if v)]
        return cls(group, tuple(kept))

    def __iter__(self) -> Iterator[tuple[str, Values]]:
        for index, row in enumerate(self.values):
            yield f"{self.group}.{index}", row

    def __len__(self) -> int:
        return len(self.values)


def renumbered(values: Mapping[str, str], groups: Sequence[str], action: str = "") -> Values:
    """``values`` with each group's blank rows dropped and the rest numbered from 0, then the
    ``action`` applied (``add:<group>``: one empty row more; ``remove:<group>:<n>``: row n less)."""
    out = {name: value for name, value in values.items() if not any(name.startswith(f"{g}.") for g in groups)}
    verb, _, target = action.partition(":")
    for group in groups:
        rows = list(Rows.of(values, group).values)
        if verb == "remove" and target.startswith(f"{group}:"):
            index = int(target.rpartition(":")[2]) if target.rpartition(":")[2].isdigit() else -1
            if 0 <= index < len(rows):
                rows.pop(index)
        for index, row in enumerate(rows):
            out.update({f"{group}.{index}.{name}": value for name, value in row.items()})
        count = len(rows) + (1 if verb == "add" and target == group else 0)
        out[f"{group}.count"] = str(count)
    return out


def row_count(values: Mapping[str, str], group: str, minimum: int = 0) -> int:
    """How many rows the page shows for ``group`` (at least ``minimum``)."""
    try:
        declared = int(values.get(f"{group}.count", "0"))
    except ValueError:
        declared = 0
    return max(minimum, declared, len(Rows.of(values, group)))


# --------------------------------------------------------------------------------------------------
# Writing: a section's values as form fields


def _put_date(values: Values, name: str, value: date | None, *, with_day: bool = True) -> None:
    if value is None:
        return
    values[f"{name}-year"] = str(value.year)
    values[f"{name}-month"] = str(value.month)
    if with_day:
        values[f"{name}-day"] = str(value.day)


def _yes_no(value: bool) -> str:
    return YES if value else NO


def _number(value: Decimal | int | None) -> str:
    return "" if value is None else str(value)


# --------------------------------------------------------------------------------------------------
# 个人基本信息


def personal_info_values(info: PersonalInfo) -> Values:
    values: Values = {
        "name": info.name,
        "former_name": info.former_name,
        "sex": info.sex.value if info.sex else "",
        "ethnicity": info.ethnicity,
        "political_status": info.political_status,
        "marital_status": info.marital_status.value,
        "hukou_address": info.hukou_address,
        "hukou_address_differs_from_id_card": _yes_no(info.hukou_address_differs_from_id_card),
        "shanghai_address": info.shanghai_address,
        "mobile": info.mobile,
        "landline": info.landline,
        "highest_education": info.highest_education.value,
        "employment.post": info.employment.post,
        "employment.open_ended": _yes_no(info.employment.contract_end is None),
    }
    _put_date(values, "residence_permit_valid_from", info.residence_permit_valid_from)
    _put_date(values, "residence_permit_valid_until", info.residence_permit_valid_until)
    _put_date(values, "employment.contract_start", info.employment.contract_start)
    _put_date(values, "employment.contract_end", info.employment.contract_end)
    return values


def read_personal_info(
    values: Mapping[str, str], id_number: str
) -> tuple[PersonalInfo | None, list[FieldError]]:
    """``id_number`` is the registered one (the page shows it, it is not posted)."""
    form = FormReader(values, SectionName.PERSONAL_INFO)
    marital = form.choice("marital_status", MaritalStatus)
    education = form.choice("highest_education", EducationAttainment)
    sex = form.choice("sex", Sex, required=False)
    valid_from = form.full_date("residence_permit_valid_from")
    valid_until = form.full_date("residence_permit_valid_until")
    start = form.full_date("employment.contract_start")
    open_ended = form.checkbox("employment.open_ended")
    end = None if open_ended else form.full_date("employment.contract_end")
    differs = form.yes_no("hukou_address_differs_from_id_card", default=False)
    unread = form.errors or None in (marital, education, valid_from, valid_until, start, differs)
    placeholder = date.min  # only where a date could not be read: nothing is saved then
    info = PersonalInfo(
        name=form.text("name"),
        former_name=form.text("former_name"),
        sex=sex,
        ethnicity=form.text("ethnicity"),
        political_status=form.text("political_status"),
        id_number=id_number,
        hukou_address=form.text("hukou_address"),
        hukou_address_differs_from_id_card=bool(differs),
        shanghai_address=form.text("shanghai_address"),
        mobile=form.text("mobile"),
        landline=form.text("landline"),
        marital_status=marital or next(iter(MaritalStatus)),
        residence_permit_valid_from=valid_from or placeholder,
        residence_permit_valid_until=valid_until or placeholder,
        highest_education=education or next(iter(EducationAttainment)),
        employment=Employment(
            post=form.text("employment.post"), contract_start=start or placeholder, contract_end=end
        ),
    )
    if unread:  # the typed answers are checked all the same, so that no mistake waits for a next round
        return None, [*form.errors, *validate_personal_text(info)]
    return info, []


# --------------------------------------------------------------------------------------------------
# 个人简历

RESUME_GROUPS = ("entries",)


def resume_values(resume: Resume) -> Values:
    values: Values = {"full_history_sheet_confirmed": _yes_no(resume.full_history_sheet_confirmed)}
    for index, entry in enumerate(resume.entries):
        prefix = f"entries.{index}"
        values.update(
            {
                f"{prefix}.kind": entry.kind.value,
                f"{prefix}.organisation": entry.organisation,
                f"{prefix}.post": entry.post,
                f"{prefix}.region": entry.region,
            }
        )
        _put_date(values, f"{prefix}.start_month", entry.start_month, with_day=False)
        _put_date(values, f"{prefix}.end_month", entry.end_month, with_day=False)
    values["entries.count"] = str(len(resume.entries))
    return values


def read_resume(values: Mapping[str, str]) -> tuple[Resume | None, list[FieldError]]:
    form = FormReader(values, SectionName.RESUME)
    entries: list[ResumeEntry | None] = []
    for prefix, _ in form.rows("entries"):
        kind = form.choice(f"{prefix}.kind", ResumeEntryKind)
        start = form.month(f"{prefix}.start_month")
        end = form.month(f"{prefix}.end_month", required=False)
        entries.append(
            None
            if kind is None or start is None
            else ResumeEntry(
                kind=kind,
                start_month=start,
                end_month=end,
                organisation=form.text(f"{prefix}.organisation"),
                post=form.text(f"{prefix}.post"),
                region=form.text(f"{prefix}.region"),
            )
        )
    if form.errors:
        return None, form.errors
    return (
        Resume(
            entries=tuple(entry for entry in entries if entry is not None),
            full_history_sheet_confirmed=form.checkbox("full_history_sheet_confirmed"),
        ),
        [],
    )


def resume_rows_allowed(values: Mapping[str, str]) -> bool:
    """Whether another resume row may be added online (at most ``MAX_ONLINE_ENTRIES``)."""
    return row_count(values, "entries") < MAX_ONLINE_ENTRIES


# --------------------------------------------------------------------------------------------------
# 家庭情况

FAMILY_GROUPS = ("children",)
_SPOUSE_FIELDS = ("spouse.name", "spouse.id_number", "spouse.hukou_address", "spouse.has_shanghai_hukou")


def family_values(family: Family) -> Values:
    values: Values = {}
    spouse = family.spouse
    if spouse is not None:
        values.update(
            {
                "spouse.name": spouse.name,
                "spouse.id_number": spouse.id_number,
                "spouse.hukou_address": spouse.hukou_address,
                "spouse.has_shanghai_hukou": _yes_no(spouse.has_shanghai_hukou),
            }
        )
        _put_date(values, "spouse.married_on", spouse.married_on)
    for index, child in enumerate(family.children):
        prefix = f"children.{index}"
        values.update(
            {
                f"{prefix}.name": child.name,
                f"{prefix}.id_number": child.id_number,
                f"{prefix}.hukou_address": child.hukou_address,
                f"{prefix}.enjoys_points_benefits": _yes_no(child.enjoys_points_benefits),
            }
        )
    values["children.count"] = str(len(family.children))
    return values


def read_family(values: Mapping[str, str]) -> tuple[Family | None, list[FieldError]]:
    form = FormReader(values, SectionName.FAMILY)
    spouse: Spouse | None = None
    if any(form.raw(name) for name in _SPOUSE_FIELDS) or any(
        form.raw(f"spouse.married_on-{part}") for part in ("year", "month", "day")
    ):
        hukou = form.yes_no("spouse.has_shanghai_hukou")
        married_on = form.full_date("spouse.married_on")
        if hukou is not None and married_on is not None:
            spouse = Spouse(
                name=form.text("spouse.name"),
                id_number=form.text("spouse.id_number"),
                hukou_address=form.text("spouse.hukou_address"),
                has_shanghai_hukou=hukou,
                married_on=married_on,
            )
    children: list[Child] = []
    for prefix, _ in form.rows("children"):
        enjoys = form.yes_no(f"{prefix}.enjoys_points_benefits")
        if enjoys is not None:
            children.append(
                Child(
                    name=form.text(f"{prefix}.name"),
                    id_number=form.text(f"{prefix}.id_number"),
                    hukou_address=form.text(f"{prefix}.hukou_address"),
                    enjoys_points_benefits=enjoys,
                )
            )
    if form.errors:
        return None, form.errors
    return Family(spouse=spouse, children=tuple(children)), []


# --------------------------------------------------------------------------------------------------
# 投资与创业


def investment_values(investment: Investment) -> Values:
    values: Values = {
        "has_investment": _yes_no(investment.has_investment),
        "enterprise_name": investment.enterprise_name,
        "share_percent": _number(investment.share_percent),
    }
    for index, year in enumerate(sorted(investment.years, key=lambda y: y.year)):
        values.update(
            {
                f"years.{index}.year": str(year.year),
                f"years.{index}.tax_paid_yuan": str(year.tax_paid_yuan),
                f"years.{index}.shanghai_hukou_staff": str(year.shanghai_hukou_staff),
            }
        )
    return values


def investment_years_shown() -> range:
    return range(YEARS_REQUIRED)


def read_investment(values: Mapping[str, str]) -> tuple[Investment | None, list[FieldError]]:
    form = FormReader(values, SectionName.INVESTMENT)
    has = form.yes_no("has_investment")
    if has is None:
        return None, form.errors
    if not has:
        return Investment(has_investment=False), []
    share = form.decimal("share_percent")
    years: list[InvestmentYear] = []
    for prefix, _ in form.rows("years"):
        year = form.integer(f"{prefix}.year")
        tax = form.integer(f"{prefix}.tax_paid_yuan")
        staff = form.integer(f"{prefix}.shanghai_hukou_staff")
        if year is not None and tax is not None and staff is not None:
            years.append(InvestmentYear(year=year, tax_paid_yuan=tax, shanghai_hukou_staff=staff))
    if form.errors:
        return None, form.errors
    return (
        Investment(
            has_investment=True,
            enterprise_name=form.text("enterprise_name"),
            share_percent=share,
            years=tuple(years),
        ),
        [],
    )


# --------------------------------------------------------------------------------------------------
# 积分指标, over four pages


@dataclass(frozen=True)
class ScoringPart:
    """One page of the scoring section: its slug (the URL and the domain's part), the rows it repeats,
    how it writes its part of the claims as fields, and how it reads them back into the claims."""

    name: str
    groups: tuple[str, ...]
    write: Callable[[ScoringClaims], Values]
    read: Callable[[FormReader, ScoringClaims], ScoringClaims | None]
    defaults: Mapping[str, str] = field(default_factory=dict)
    place_errors: Callable[[Sequence[FieldError], Mapping[str, str]], list[FieldError]] = lambda errors, _: (
        list(errors)
    )
    """The domain's errors at this page's inputs (the posted values say which input)."""


def _education_values(claims: ScoringClaims) -> Values:
    values: Values = {"education.level": ""}
    if claims.education is not None:
        values.update(
            {
                "education.level": claims.education.level.value,
                "education.nationally_recognised": _yes_no(claims.education.nationally_recognised),
                "education.institution": claims.education.institution,
                "education.major": claims.education.major,
            }
        )
    for index, item in enumerate(claims.qualifications):
        prefix = f"qualifications.{index}"
        values.update(
            {
                f"{prefix}.level": item.level.value,
                f"{prefix}.certificate_name": item.certificate_name,
                f"{prefix}.certificate_number": item.certificate_number,
                f"{prefix}.obtained_while_working_in_shanghai": _yes_no(
                    item.obtained_while_working_in_shanghai
                ),
                f"{prefix}.matches_post": _yes_no(item.matches_post),
                f"{prefix}.on_catalogue": _yes_no(item.on_catalogue),
                f"{prefix}.verifiable": _yes_no(item.verifiable),
            }
        )
    values["qualifications.count"] = str(len(claims.qualifications))
    return values


def _read_education(form: FormReader, claims: ScoringClaims) -> ScoringClaims | None:
    education: EducationClaim | None = None
    level = form.choice("education.level", EducationLevel, required=False)
    if level is not None:
        recognised = form.yes_no("education.nationally_recognised", default=True)
        education = EducationClaim(
            level=level,
            nationally_recognised=bool(recognised),
            institution=form.text("education.institution"),
            major=form.text("education.major"),
        )
    qualifications: list[QualificationClaim] = []
    for prefix, _ in form.rows("qualifications"):
        item_level = form.choice(f"{prefix}.level", QualificationLevel)
        in_shanghai = form.yes_no(f"{prefix}.obtained_while_working_in_shanghai")
        matches = form.yes_no(f"{prefix}.matches_post")
        catalogue = form.yes_no(f"{prefix}.on_catalogue", default=True)
        verifiable = form.yes_no(f"{prefix}.verifiable", default=True)
        if item_level is not None and in_shanghai is not None and matches is not None:
            qualifications.append(
                QualificationClaim(
                    level=item_level,
                    obtained_while_working_in_shanghai=in_shanghai,
                    matches_post=matches,
                    on_catalogue=bool(catalogue),
                    verifiable=bool(verifiable),
                    certificate_name=form.text(f"{prefix}.certificate_name"),
                    certificate_number=form.text(f"{prefix}.certificate_number"),
                )
            )
    if form.errors:
        return None
    return replace(claims, education=education, qualifications=tuple(qualifications))


def _insurance_values(claims: ScoringClaims) -> Values:
    insurance = claims.social_insurance
    values: Values = {"social_insurance.contribution_months": str(insurance.contribution_months)}
    for index, period in enumerate(contribution_periods(insurance.history)):
        prefix = f"periods.{index}"
        values.update(
            {
                f"{prefix}.base_multiple": str(period.base_multiple),
                f"{prefix}.back_payment": _yes_no(period.back_payment),
                f"{prefix}.payer_is_contract_employer": _yes_no(period.payer_is_contract_employer),
                f"{prefix}.base_matches_declared_income": _yes_no(period.base_matches_declared_income),
            }
        )
        _put_date(values, f"{prefix}.from_month", period.first, with_day=False)
        _put_date(values, f"{prefix}.to_month", period.last, with_day=False)
    values["periods.count"] = str(len(contribution_periods(insurance.history)))
    return values


@dataclass(frozen=True, slots=True)
class ContributionPeriod:
    """Consecutive months of social insurance on the same base and terms: how the form enters the
    month-by-month history."""

    first: date
    last: date
    base_multiple: Decimal
    back_payment: bool = False
    payer_is_contract_employer: bool = True
    base_matches_declared_income: bool = True

    def months(self) -> Iterator[MonthlyContribution]:
        for index in range(month_index(self.first), month_index(self.last) + 1):
            yield MonthlyContribution(
                month=date(index // 12, index % 12 + 1, 1),
                base_multiple=self.base_multiple,
                back_payment=self.back_payment,
                payer_is_contract_employer=self.payer_is_contract_employer,
                base_matches_declared_income=self.base_matches_declared_income,
            )


def contribution_periods(history: Sequence[MonthlyContribution]) -> list[ContributionPeriod]:
    """The history as periods: consecutive months with the same base multiple and terms."""
    periods: list[ContributionPeriod] = []
    for month in sorted(history, key=lambda m: m.month):
        terms = (
            month.base_multiple,
            month.back_payment,
            month.payer_is_contract_employer,
            month.base_matches_declared_income,
        )
        last = periods[-1] if periods else None
        if (
            last is not None
            and month_index(month.month) == month_index(last.last) + 1
            and terms
            == (
                last.base_multiple,
                last.back_payment,
                last.payer_is_contract_employer,
                last.base_matches_declared_income,
            )
        ):
            periods[-1] = replace(last, last=month.month)
        else:
            periods.append(ContributionPeriod(month.month, month.month, *terms))
    return periods


def _periods(form: FormReader) -> list[tuple[str, ContributionPeriod]]:
    """The contribution periods posted, each with its row prefix (malformed ones are errors of ``form``)."""
    periods: list[tuple[str, ContributionPeriod]] = []
    for prefix, _ in form.rows("periods"):
        first = form.month(f"{prefix}.from_month")
        last = form.month(f"{prefix}.to_month")
        multiple = form.decimal(f"{prefix}.base_multiple")
        if first is None or last is None or multiple is None:
            continue
        if month_index(last) < month_index(first):
            form.error(
                f"{prefix}.to_month", "period.ends_before_start", "applications.validation.period_order"
            )
            continue
        periods.append(
            (
                prefix,
                ContributionPeriod(
                    first,
                    last,
                    multiple,
                    back_payment=form.checkbox(f"{prefix}.back_payment"),
                    payer_is_contract_employer=bool(
                        form.yes_no(f"{prefix}.payer_is_contract_employer", default=True)
                    ),
                    base_matches_declared_income=bool(
                        form.yes_no(f"{prefix}.base_matches_declared_income", default=True)
                    ),
                ),
            )
        )
    return periods


def _read_insurance(form: FormReader, claims: ScoringClaims) -> ScoringClaims | None:
    periods = _periods(form)
    seen: set[int] = set()
    history: list[MonthlyContribution] = []
    for prefix, period in periods:
        months = list(period.months())
        if any(month_index(m.month) in seen for m in months):
            form.error(f"{prefix}.from_month", "period.overlap", "applications.validation.period_overlap")
        seen.update(month_index(m.month) for m in months)
        history.extend(months)
    months_paid = form.integer("social_insurance.contribution_months", required=False)
    if form.errors:
        return None
    if months_paid is None:  # derived from the history when left blank
        months_paid = len(
            {month_index(m.month) for m in history if not m.back_payment and m.payer_is_contract_employer}
        )
    return replace(
        claims,
        social_insurance=SocialInsuranceClaim(contribution_months=months_paid, history=tuple(history)),
    )


_HISTORY_MONTH = re.compile(r"^social_insurance\.history(?:\[(\d+)\]\.(\w+))?$")
_PERIOD_INPUT = {"base_multiple": "base_multiple", "month": "to_month"}
"""The period's input a rule on one month of the history belongs to (a month after the application
date: where the period ends)."""


def _insurance_errors(errors: Sequence[FieldError], values: Mapping[str, str]) -> list[FieldError]:
    """The domain's errors on the month-by-month history, at the period the month was entered in, once
    per period and rule (a period of 48 months at a wrong base is one mistake, not 48)."""
    owners = [
        prefix
        for prefix, period in _periods(FormReader(values, SectionName.SCORING_CLAIMS))
        for _ in period.months()
    ]
    placed: list[FieldError] = []
    for error in errors:
        match = _HISTORY_MONTH.match(error.field)
        if match and owners:
            index, name = match.groups()
            owner = owners[int(index)] if index is not None and int(index) < len(owners) else owners[0]
            error = replace(error, field=f"{owner}.{_PERIOD_INPUT.get(name or '', 'from_month')}")
        if all((error.field, error.code) != (other.field, other.code) for other in placed):
            placed.append(error)
    return placed


def _bonus_values(claims: ScoringClaims) -> Values:
    values: Values = {
        "shortage_major.claimed": _yes_no(claims.shortage_major is not None),
        "public_service.claimed": _yes_no(claims.public_service is not None),
        "full_time_fresh_graduate": _yes_no(claims.full_time_fresh_graduate),
    }
    if claims.shortage_major is not None:
        values.update(
            {
                "shortage_major.major_code": claims.shortage_major.major_code,
                "shortage_major.major_name": claims.shortage_major.major_name,
                "shortage_major.post_matches_major": _yes_no(claims.shortage_major.post_matches_major),
            }
        )
    if claims.public_service is not None:
        values.update(
            {
                "public_service.field": claims.public_service.field,
                "public_service.full_years": str(claims.public_service.full_years),
            }
        )
    for index, area in enumerate(claims.key_areas):
        prefix = f"key_areas.{index}"
        values.update(
            {
                f"{prefix}.kind": area.kind.value,
                f"{prefix}.area_code": area.area_code,
                f"{prefix}.full_years": str(area.full_years),
                f"{prefix}.lives_in_area": _yes_no(area.lives_in_area),
            }
        )
    for index, award in enumerate(claims.awards):
        prefix = f"awards.{index}"
        values.update(
            {
                f"{prefix}.level": award.level.value,
                f"{prefix}.award_name": award.award_name,
                f"{prefix}.received_while_working_in_shanghai": _yes_no(
                    award.received_while_working_in_shanghai
                ),
                f"{prefix}.on_catalogue": _yes_no(award.on_catalogue),
            }
        )
        _put_date(values, f"{prefix}.received_on", award.received_on)
    values["key_areas.count"] = str(len(claims.key_areas))
    values["awards.count"] = str(len(claims.awards))
    return values


def _read_bonus(form: FormReader, claims: ScoringClaims) -> ScoringClaims | None:
    shortage: ShortageMajorClaim | None = None
    if form.yes_no("shortage_major.claimed", default=False):
        matches = form.yes_no("shortage_major.post_matches_major")
        if matches is not None:
            shortage = ShortageMajorClaim(
                major_code=form.text("shortage_major.major_code"),
                major_name=form.text("shortage_major.major_name"),
                post_matches_major=matches,
            )
    public: PublicServiceClaim | None = None
    if form.yes_no("public_service.claimed", default=False):
        years = form.integer("public_service.full_years")
        if years is not None:
            public = PublicServiceClaim(field=form.text("public_service.field"), full_years=years)
    areas: list[KeyAreaClaim] = []
    for prefix, _ in form.rows("key_areas"):
        kind = form.choice(f"{prefix}.kind", KeyAreaKind)
        years = form.integer(f"{prefix}.full_years")
        lives = form.yes_no(f"{prefix}.lives_in_area", default=True)
        if kind is not None and years is not None:
            areas.append(KeyAreaClaim(kind, form.text(f"{prefix}.area_code"), years, bool(lives)))
    awards: list[AwardClaim] = []
    for prefix, _ in form.rows("awards"):
        level = form.choice(f"{prefix}.level", AwardLevel)
        received = form.full_date(f"{prefix}.received_on")
        in_shanghai = form.yes_no(f"{prefix}.received_while_working_in_shanghai")
        catalogue = form.yes_no(f"{prefix}.on_catalogue", default=True)
        if level is not None and received is not None and in_shanghai is not None:
            awards.append(
                AwardClaim(level, form.text(f"{prefix}.award_name"), received, in_shanghai, bool(catalogue))
            )
    fresh = form.yes_no("full_time_fresh_graduate", default=False)
    if form.errors:
        return None
    return replace(
        claims,
        shortage_major=shortage,
        public_service=public,
        key_areas=tuple(areas),
        awards=tuple(awards),
        full_time_fresh_graduate=bool(fresh),
    )


def _routes_values(claims: ScoringClaims) -> Values:
    values: Values = {
        "startup_founder.claimed": _yes_no(claims.startup_founder is not None),
        "innovation_intermediary.claimed": _yes_no(claims.innovation_intermediary is not None),
    }
    founder = claims.startup_founder
    if founder is not None:
        values.update(
            {
                "startup_founder.enterprise_name": founder.enterprise_name,
                "startup_founder.share_percent": str(founder.share_percent),
                "startup_founder.consecutive_months_in_incubator": str(
                    founder.consecutive_months_in_incubator
                ),
                "startup_founder.still_in_incubator": _yes_no(founder.still_in_incubator),
                "startup_founder.shares_held_before_incubation_or_investment": _yes_no(
                    founder.shares_held_before_incubation_or_investment
                ),
            }
        )
    intermediary = claims.innovation_intermediary
    if intermediary is not None:
        values.update(
            {
                "innovation_intermediary.agency_name": intermediary.agency_name,
                "innovation_intermediary.consecutive_months_in_technology_transfer": str(
                    intermediary.consecutive_months_in_technology_transfer
                ),
            }
        )
    return values


def _read_routes(form: FormReader, claims: ScoringClaims) -> ScoringClaims | None:
    founder: StartupFounderClaim | None = None
    if form.yes_no("startup_founder.claimed", default=False):
        share = form.decimal("startup_founder.share_percent")
        months = form.integer("startup_founder.consecutive_months_in_incubator")
        still = form.yes_no("startup_founder.still_in_incubator")
        before = form.yes_no("startup_founder.shares_held_before_incubation_or_investment")
        if share is not None and months is not None and still is not None and before is not None:
            founder = StartupFounderClaim(
                form.text("startup_founder.enterprise_name"), share, months, still, before
            )
    intermediary: InnovationIntermediaryClaim | None = None
    if form.yes_no("innovation_intermediary.claimed", default=False):
        months = form.integer("innovation_intermediary.consecutive_months_in_technology_transfer")
        if months is not None:
            intermediary = InnovationIntermediaryClaim(
                form.text("innovation_intermediary.agency_name"), months
            )
    if form.errors:
        return None
    return replace(claims, startup_founder=founder, innovation_intermediary=intermediary)


SCORING_PARTS: tuple[ScoringPart, ...] = (
    ScoringPart("education", ("qualifications",), _education_values, _read_education),
    ScoringPart(
        "social_insurance", ("periods",), _insurance_values, _read_insurance, place_errors=_insurance_errors
    ),
    ScoringPart("bonus", ("key_areas", "awards"), _bonus_values, _read_bonus),
    ScoringPart("direct_routes", (), _routes_values, _read_routes),
)
PARTS_BY_NAME = {part.name: part for part in SCORING_PARTS}


def scoring_values(claims: ScoringClaims, part: ScoringPart) -> Values:
    return part.write(claims)


def read_scoring(
    values: Mapping[str, str], part: ScoringPart, current: ScoringClaims
) -> tuple[ScoringClaims | None, list[FieldError]]:
    """The claims with ``part``'s fields read from the form, the other parts kept as ``current``."""
    form = FormReader(values, SectionName.SCORING_CLAIMS)
    claims = part.read(form, current)
    return (None, form.errors) if claims is None else (claims, [])


# --------------------------------------------------------------------------------------------------
# 减分项与一票否决项

INCIDENT_GROUPS = ("false_materials", "administrative_detentions", "general_criminal_records")


def deductions_values(deductions: DeductionClaims) -> Values:
    values: Values = {
        "family_planning_violation": _yes_no(deductions.family_planning_violation),
        "serious_criminal_record": _yes_no(deductions.serious_criminal_record),
    }
    for group in INCIDENT_GROUPS:
        incidents: tuple[RecordedIncident, ...] = getattr(deductions, group)
        for index, incident in enumerate(incidents):
            values[f"{group}.{index}.reference"] = incident.reference
            _put_date(values, f"{group}.{index}.on", incident.on)
        values[f"{group}.count"] = str(len(incidents))
    return values


def read_deductions(values: Mapping[str, str]) -> tuple[DeductionClaims | None, list[FieldError]]:
    form = FormReader(values, SectionName.DEDUCTIONS)
    lists: dict[str, tuple[RecordedIncident, ...]] = {}
    for group in INCIDENT_GROUPS:
        found: list[RecordedIncident] = []
        for prefix, _ in form.rows(group):
            on = form.full_date(f"{prefix}.on")
            if on is not None:
                found.append(RecordedIncident(on=on, reference=form.text(f"{prefix}.reference")))
        lists[group] = tuple(found)
    family_planning = form.yes_no("family_planning_violation")
    serious = form.yes_no("serious_criminal_record")
    if form.errors or family_planning is None or serious is None:
        return None, form.errors
    return (
        DeductionClaims(
            false_materials=lists["false_materials"],
            administrative_detentions=lists["administrative_detentions"],
            general_criminal_records=lists["general_criminal_records"],
            family_planning_violation=family_planning,
            serious_criminal_record=serious,
        ),
        [],
    )
