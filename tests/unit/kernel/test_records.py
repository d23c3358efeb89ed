"""Sections travel in events as plain records; decoding them gives back the same values."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.applications.domain.sections.family import Family
from services.applications.domain.sections.investment import Investment
from services.applications.domain.sections.personal import PersonalInfo
from services.applications.domain.sections.resume import Resume, ResumeEntry
from shared.kernel.form_codes import ResumeEntryKind
from shared.kernel.points.claims import (
    AwardClaim,
    AwardLevel,
    DeductionClaims,
    InvestmentClaim,
    MonthlyContribution,
    RecordedIncident,
    ScoringClaims,
    SocialInsuranceClaim,
)
from shared.kernel.records import RecordDecodingError, from_record, to_record
from tests.unit.applications import builders


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (PersonalInfo, builders.personal_info()),
        (Resume, builders.resume()),
        (Family, builders.family()),
        (Investment, builders.investment()),
        (Investment, builders.no_investment()),
        (ScoringClaims, builders.scoring_claims()),
        (DeductionClaims, builders.deductions()),
    ],
)
def test_every_section_round_trips_through_a_json_compatible_record(kind: type[Any], value: object) -> None:
    record = to_record(value)
    assert json.loads(json.dumps(record)) == record
    assert from_record(kind, record) == value


def test_claims_with_nested_tuples_decimals_and_dates_round_trip() -> None:
    claims = builders.scoring_claims(
        social_insurance=SocialInsuranceClaim(
            contribution_months=48,
            history=(MonthlyContribution(date(2025, 1, 1), Decimal("1.25"), back_payment=True),),
        ),
        investment=InvestmentClaim("某公司", Decimal("12.5"), (1, 2, 3), (0, 1, 2)),
        awards=(AwardClaim(AwardLevel.MUNICIPAL_SPECIAL, "先进个人", date(2024, 5, 1), True),),
    )
    deductions = DeductionClaims(
        administrative_detentions=(RecordedIncident(date(2022, 3, 4), "沪公拘字001"),)
    )
    assert from_record(ScoringClaims, json.loads(json.dumps(to_record(claims)))) == claims
    assert from_record(DeductionClaims, to_record(deductions)) == deductions


def test_a_field_missing_from_an_old_record_takes_its_default() -> None:
    record = to_record(builders.personal_info())
    del record["landline"]
    assert from_record(PersonalInfo, record).landline == ""


def test_a_record_of_the_wrong_shape_is_refused() -> None:
    record = to_record(builders.resume())
    record["entries"] = "not a list"
    with pytest.raises(RecordDecodingError):
        from_record(Resume, record)


def test_a_bool_is_not_accepted_where_a_number_is_expected() -> None:
    @dataclass(frozen=True)
    class Count:
        value: int

    with pytest.raises(RecordDecodingError):
        from_record(Count, {"value": True})


months = st.dates(min_value=date(1980, 1, 1), max_value=date(2030, 12, 1)).map(lambda d: d.replace(day=1))
entries = st.builds(
    ResumeEntry,
    kind=st.sampled_from(ResumeEntryKind),
    start_month=months,
    end_month=st.none() | months,
    organisation=st.text(max_size=20),
    post=st.text(max_size=20),
    region=st.text(max_size=10),
)


@given(
    st.builds(
        Resume, entries=st.lists(entries, max_size=10).map(tuple), full_history_sheet_confirmed=st.booleans()
    )
)
def test_any_resume_round_trips(resume: Resume) -> None:
    assert from_record(Resume, json.loads(json.dumps(to_record(resume)))) == resume
