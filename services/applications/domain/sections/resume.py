"""个人简历: the applicant's history from school to today, month by month.

Rules (seed step 6, domain.md §3):

* Start from the last full-time school graduated from (kind ``SCHOOL``).
* Continuous: no gap and no overlap. A period without work is entered too, as 待业 (``UNEMPLOYED``).
* At most 8 entries online. With a longer history the 8 most recent are entered and the applicant
  brings an A4 sheet listing the whole history, signed and stamped by the unit
  (``full_history_sheet_confirmed``); the online list then need not start at school.

Month granularity, decided here: an entry may start in the month after the previous one ended, **or in
the same month** (a job change in the middle of a month puts both jobs in that month). Starting before
the previous end month is an overlap; starting two or more months later leaves a gap. Only the last
entry may be open-ended (至今); otherwise it must end in the application month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.applications.domain.sections.common import Problems, format_month, month_index
from services.applications.domain.sections.names import SectionName
from shared.kernel.errors import FieldError
from shared.kernel.form_codes import ResumeEntryKind

MAX_ONLINE_ENTRIES = 8


class ResumeCode(StrEnum):
    """Error codes of the resume rules."""

    EMPTY = "resume.empty"
    TOO_MANY_ENTRIES = "resume.too_many_entries"
    SHEET_NEEDS_FULL_ONLINE_LIST = "resume.full_history_sheet_needs_eight_entries"
    FIRST_ENTRY_NOT_SCHOOL = "resume.first_entry_must_be_school"
    ENDS_BEFORE_START = "resume.ends_before_start"
    STARTS_AFTER_APPLICATION_MONTH = "resume.starts_after_application_month"
    ENDS_AFTER_APPLICATION_MONTH = "resume.ends_after_application_month"
    OPEN_END_BEFORE_LAST = "resume.open_end_before_last_entry"
    OVERLAP = "resume.overlap"
    GAP = "resume.gap_must_be_entered_as_unemployment"
    DOES_NOT_REACH_PRESENT = "resume.last_entry_must_reach_present"


@dataclass(frozen=True, slots=True)
class ResumeEntry:
    """One period. Months are ``date`` values whose day is ignored; ``end_month`` ``None`` means 至今.

    ``organisation`` is the school or employer (empty for 待业); ``post`` the job (or the major, for a
    school; empty for 待业).
    """

    kind: ResumeEntryKind
    start_month: date
    end_month: date | None
    organisation: str = ""
    post: str = ""
    region: str = ""


@dataclass(frozen=True, slots=True)
class Resume:
    entries: tuple[ResumeEntry, ...]
    full_history_sheet_confirmed: bool = False


def validate_resume(resume: Resume, on: date) -> list[FieldError]:
    """Check the resume as of the application date ``on`` (only its month matters)."""
    problems = Problems(SectionName.RESUME)
    entries = resume.entries
    if not entries:
        problems.add("entries", ResumeCode.EMPTY, "请填写个人简历", "Enter at least one resume entry")
        return problems.errors
    _check_length_and_start(resume, problems)
    application_month = month_index(on)
    for index, entry in enumerate(entries):
        _check_entry(index, entry, index == len(entries) - 1, application_month, problems)
    for index in range(1, len(entries)):
        _check_continuity(index, entries[index - 1], entries[index], problems)
    last = entries[-1]
    if last.end_month is not None and month_index(last.end_month) < application_month:
        problems.add(
            f"entries[{len(entries) - 1}].end_month",
            ResumeCode.DOES_NOT_REACH_PRESENT,
            f"最后一段简历应填写至今或至申请月份 {format_month(on)}；之后没有工作的时间请填写“待业”",
            f"The last entry must run to the present or to the application month {format_month(on)}; "
            "enter any period without work since then as unemployment",
        )
    return problems.errors


def _check_length_and_start(resume: Resume, problems: Problems) -> None:
    count = len(resume.entries)
    if count > MAX_ONLINE_ENTRIES:
        problems.add(
            "entries",
            ResumeCode.TOO_MANY_ENTRIES,
            f"网上最多填写{MAX_ONLINE_ENTRIES}段简历；请填写最近{MAX_ONLINE_ENTRIES}段，"
            "另用A4纸列出全部经历，签字并加盖单位公章",
            f"At most {MAX_ONLINE_ENTRIES} entries can be entered online; enter the most recent "
            f"{MAX_ONLINE_ENTRIES} and list the full history on a signed, unit-stamped A4 sheet",
        )
    if resume.full_history_sheet_confirmed:
        if count < MAX_ONLINE_ENTRIES:
            problems.add(
                "full_history_sheet_confirmed",
                ResumeCode.SHEET_NEEDS_FULL_ONLINE_LIST,
                f"另附全部经历A4纸时，网上须填写最近{MAX_ONLINE_ENTRIES}段简历",
                f"With a full-history sheet, the {MAX_ONLINE_ENTRIES} most recent entries must be entered",
            )
    elif resume.entries[0].kind is not ResumeEntryKind.SCHOOL:
        problems.add(
            "entries[0].kind",
            ResumeCode.FIRST_ENTRY_NOT_SCHOOL,
            "简历应从最后一个全日制毕业学校开始填写",
            "The resume must start with the last full-time school you graduated from",
        )


def _check_entry(
    index: int, entry: ResumeEntry, is_last: bool, application_month: int, problems: Problems
) -> None:
    prefix = f"entries[{index}]"
    start = month_index(entry.start_month)
    if start > application_month:
        problems.add(
            f"{prefix}.start_month",
            ResumeCode.STARTS_AFTER_APPLICATION_MONTH,
            "简历开始年月不能晚于申请月份",
            "An entry cannot start after the application month",
        )
    if entry.end_month is None:
        if not is_last:
            problems.add(
                f"{prefix}.end_month",
                ResumeCode.OPEN_END_BEFORE_LAST,
                "只有最后一段简历可以填写“至今”",
                "Only the last entry can run to the present",
            )
    else:
        end = month_index(entry.end_month)
        if end < start:
            problems.add(
                f"{prefix}.end_month",
                ResumeCode.ENDS_BEFORE_START,
                "结束年月不能早于开始年月",
                "An entry cannot end before it starts",
            )
        if end > application_month:
            problems.add(
                f"{prefix}.end_month",
                ResumeCode.ENDS_AFTER_APPLICATION_MONTH,
                "结束年月不能晚于申请月份；仍在进行的经历请填写“至今”",
                "An entry cannot end after the application month; leave the end open for the present",
            )
    if entry.kind is ResumeEntryKind.UNEMPLOYED:
        return
    label_zh, label_en = (
        ("学校", "school") if entry.kind is ResumeEntryKind.SCHOOL else ("工作单位", "employer")
    )
    problems.required_text(f"{prefix}.organisation", entry.organisation, label_zh, label_en)
    if entry.kind is ResumeEntryKind.WORK:
        problems.required_text(f"{prefix}.post", entry.post, "职务（岗位）", "post")
    else:
        problems.optional_text(f"{prefix}.post", entry.post, "专业", "major")
    problems.optional_text(f"{prefix}.region", entry.region, "地区", "region")


def _check_continuity(index: int, previous: ResumeEntry, entry: ResumeEntry, problems: Problems) -> None:
    if previous.end_month is None:
        return  # reported as OPEN_END_BEFORE_LAST
    previous_end = month_index(previous.end_month)
    start = month_index(entry.start_month)
    if start < previous_end:
        problems.add(
            f"entries[{index}].start_month",
            ResumeCode.OVERLAP,
            f"本段简历与上一段时间重叠（上一段至 {format_month(previous.end_month)}）",
            f"This entry overlaps the previous one, which ends {format_month(previous.end_month)}",
        )
    elif start > previous_end + 1:
        problems.add(
            f"entries[{index}].start_month",
            ResumeCode.GAP,
            f"简历时间不连续：{format_month(previous.end_month)} 与 {format_month(entry.start_month)} "
            "之间有空档，没有工作的时间也需填写，并写“待业”",
            f"There is a gap between {format_month(previous.end_month)} and "
            f"{format_month(entry.start_month)}; enter the period without work as unemployment (待业)",
        )
