"""Rule tables as data: sources, effective dates, selection by assessment date, pass mark, catalogues."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

import pytest

from shared.kernel.points.calculator import calculate
from shared.kernel.points.catalogues import (
    NO_CATALOGUES,
    CatalogueError,
    KeyAreaEntry,
    ShortageMajorEntry,
    catalogues_from_data,
)
from shared.kernel.points.claims import (
    NO_DEDUCTIONS,
    KeyAreaClaim,
    KeyAreaKind,
    QualificationClaim,
    ShortageMajorClaim,
)
from shared.kernel.points.claims import QualificationLevel as Q
from shared.kernel.points.model import (
    Indicator,
    NoRulesInForceError,
    PassMarkRow,
    in_force,
)
from shared.kernel.points.rules import PASS_MARKS, rules_in_force, tables

from .builders import CATALOGUES, claims, score

BOUNDARIES = (
    date(2013, 7, 1),
    date(2017, 12, 31),
    date(2018, 1, 1),
    date(2022, 12, 31),
    date(2023, 1, 1),
    date(2025, 12, 31),
    date(2026, 1, 1),
    date(2030, 1, 1),
)


def test_every_rule_row_cites_a_source_and_has_a_valid_period() -> None:
    for table in tables().all():
        for row in table:
            assert row.source, row
            assert row.effective_to is None or row.effective_from <= row.effective_to, row
            sample = getattr(row, "sample", False)
            assert sample or "http" in row.source, row


def test_rule_row_ids_are_unique() -> None:
    ids = [row.id for table in tables().all() for row in table]
    assert len(ids) == len(set(ids))


def test_sample_catalogue_entries_are_labelled_as_samples_and_the_others_cite_a_source() -> None:
    entries: list[ShortageMajorEntry | KeyAreaEntry] = [*CATALOGUES.shortage_majors, *CATALOGUES.key_areas]
    samples = [e for e in entries if e.sample]
    assert samples
    assert all("SAMPLE" in e.source and ".sample." in e.id for e in samples)
    assert all(e.source.startswith("http") for e in entries if not e.sample)


def test_without_a_catalogue_no_major_is_on_it() -> None:
    on = date(2024, 6, 15)
    c = claims(on, shortage_major=ShortageMajorClaim("S-0003", "护理", True))
    assert score(c, on=on).line(Indicator.SHORTAGE_MAJOR).points == 30
    assert (
        calculate(c, NO_DEDUCTIONS, on, rules_in_force(on, NO_CATALOGUES))
        .line(Indicator.SHORTAGE_MAJOR)
        .points
        == 0
    )


@pytest.mark.parametrize(
    ("document", "path"),
    [
        ({"shortage_majors": {}}, "shortage_majors"),
        ({"shortage_majors": [{"id": "x"}]}, "shortage_majors[0].effective_from"),
        (
            {
                "key_areas": [
                    {
                        "id": "a",
                        "code": "A",
                        "name_zh": "甲",
                        "name_en": "A",
                        "kind": "moon",
                        "sample": True,
                        "source": "s",
                        "effective_from": "2020-01-01",
                    }
                ]
            },
            "key_areas[0].kind",
        ),
        (
            {
                "shortage_majors": [
                    {
                        "id": "m",
                        "code": "M",
                        "name": "甲",
                        "name_en": "A",
                        "sample": "yes",
                        "source": "s",
                        "effective_from": "2020-01-01",
                    }
                ]
            },
            "shortage_majors[0].sample",
        ),
        (
            {
                "shortage_majors": [
                    {
                        "id": "m",
                        "code": "M",
                        "name": "甲",
                        "name_en": "A",
                        "sample": True,
                        "source": "s",
                        "effective_from": "2020-01-01",
                        "effective_to": "2019-01-01",
                    }
                ]
            },
            "shortage_majors[0]",
        ),
    ],
)
def test_a_malformed_catalogue_document_is_refused_with_the_path_of_the_bad_value(
    document: dict[str, object], path: str
) -> None:
    with pytest.raises(CatalogueError, match=rf"^{re.escape(path)}[.:]"):
        catalogues_from_data(document)


def test_a_catalogue_entry_counts_only_within_its_effective_period() -> None:
    document = {
        "shortage_majors": [
            {
                "id": "m",
                "code": "M-1",
                "name": "测绘",
                "name_en": "Surveying",
                "sample": True,
                "source": "s",
                "effective_from": "2020-01-01",
                "effective_to": "2020-12-31",
            }
        ]
    }
    catalogues = catalogues_from_data(document)
    c = claims(date(2020, 6, 1), shortage_major=ShortageMajorClaim("M-1", "测绘", True))
    inside = calculate(c, NO_DEDUCTIONS, date(2020, 6, 1), rules_in_force(date(2020, 6, 1), catalogues))
    after = calculate(c, NO_DEDUCTIONS, date(2021, 1, 1), rules_in_force(date(2021, 1, 1), catalogues))
    assert inside.line(Indicator.SHORTAGE_MAJOR).points == 30
    assert after.line(Indicator.SHORTAGE_MAJOR).points == 0


@pytest.mark.parametrize("on", BOUNDARIES, ids=str)
def test_a_rule_set_is_in_force_on_every_boundary_date(on: date) -> None:
    rules = rules_in_force(on)
    assert rules.on == on
    assert rules.pass_mark.points == 120


def test_no_rules_before_the_points_system_started() -> None:
    with pytest.raises(NoRulesInForceError):
        rules_in_force(date(2013, 6, 30))


def test_2013_trial_base_rule_applies_until_2017_and_the_2018_rule_from_2018() -> None:
    assert {b.id.split(".")[1] for b in rules_in_force(date(2017, 12, 31)).base_bands} == {"2013"}
    assert {b.id.split(".")[1] for b in rules_in_force(date(2018, 1, 1)).base_bands} == {"2018"}
    assert rules_in_force(date(2017, 12, 31)).caps[Indicator.INSURANCE_BASE] == 100
    assert rules_in_force(date(2018, 1, 1)).caps[Indicator.INSURANCE_BASE] == 120


def test_same_3x_history_scores_100_under_the_2013_rule_and_120_under_the_2018_rule() -> None:
    old, new = date(2017, 12, 20), date(2018, 1, 20)
    assert (
        calculate(claims(old, segments=((40, "3.2"),)), NO_DEDUCTIONS, old)
        .line(Indicator.INSURANCE_BASE)
        .points
        == 100
    )
    assert (
        calculate(claims(new, segments=((40, "3.2"),)), NO_DEDUCTIONS, new)
        .line(Indicator.INSURANCE_BASE)
        .points
        == 120
    )


def test_2018_rule_tolerates_gaps_that_the_2013_consecutive_rule_does_not() -> None:
    segments = ((20, "1.5"), (6, None), (22, "1.5"))  # 42 of the last 48 months, with a gap
    old, new = date(2017, 11, 10), date(2018, 2, 10)
    assert (
        calculate(claims(old, segments=segments), NO_DEDUCTIONS, old).line(Indicator.INSURANCE_BASE).points
        == 0
    )
    assert (
        calculate(claims(new, segments=segments), NO_DEDUCTIONS, new).line(Indicator.INSURANCE_BASE).points
        == 50
    )


def test_newest_key_area_rule_counts_lingang_from_3_years_from_2026() -> None:
    before, after = date(2025, 12, 31), date(2026, 1, 1)
    old_claim = claims(before, key_areas=(KeyAreaClaim(KeyAreaKind.LINGANG, "KA13-LG", 3),))
    new_claim = claims(after, key_areas=(KeyAreaClaim(KeyAreaKind.LINGANG, "KA26-LG", 3),))
    assert score(old_claim, on=before).line(Indicator.KEY_AREA).points == 0
    line = score(new_claim, on=after).line(Indicator.KEY_AREA)
    assert (line.points, line.rule_id) == (6, "key_area.2026.lingang_after_3")


def test_key_area_catalogue_is_versioned_with_the_rule() -> None:
    before, after = date(2025, 12, 31), date(2026, 1, 1)
    c = claims(after, key_areas=(KeyAreaClaim(KeyAreaKind.OTHER, "KA13-RS", 8),))
    assert score(c, on=after).line(Indicator.KEY_AREA).points == 0  # not on the 2026 list
    assert score(c, on=before).line(Indicator.KEY_AREA).points == 16


def test_out_of_province_skill_certificate_must_be_verifiable_from_2026() -> None:
    q = (QualificationClaim(Q.SKILL_LEVEL_3, True, True, verifiable=False),)
    before, after = date(2025, 12, 31), date(2026, 1, 1)
    assert (
        calculate(claims(before, qualifications=q), NO_DEDUCTIONS, before)
        .line(Indicator.QUALIFICATION)
        .points
        == 60
    )
    assert (
        calculate(claims(after, qualifications=q), NO_DEDUCTIONS, after).line(Indicator.QUALIFICATION).points
        == 0
    )


def test_title_base_gate_applies_from_2018() -> None:
    q = (QualificationClaim(Q.SENIOR_TITLE, True, True),)
    old, new = date(2017, 6, 1), date(2018, 6, 1)
    assert (
        calculate(claims(old, qualifications=q), NO_DEDUCTIONS, old).line(Indicator.QUALIFICATION).points
        == 140
    )
    assert (
        calculate(claims(new, qualifications=q), NO_DEDUCTIONS, new).line(Indicator.QUALIFICATION).points == 0
    )


def test_direct_120_routes_are_not_in_force_before_their_start_date() -> None:
    assert Indicator.STARTUP_FOUNDER not in rules_in_force(date(2015, 1, 1)).direct_routes
    assert Indicator.STARTUP_FOUNDER in rules_in_force(date(2017, 1, 1)).direct_routes


def test_pass_mark_is_data_with_an_effective_date() -> None:
    assert [(r.points, r.effective_from, r.effective_to) for r in PASS_MARKS] == [
        (120, date(2013, 7, 1), None)
    ]


def test_a_new_pass_mark_row_takes_effect_on_its_date() -> None:
    old = replace(PASS_MARKS[0], effective_to=date(2029, 12, 31))
    new = PassMarkRow("pass_mark.test_130", 130, "test", date(2030, 1, 1))
    rows = (old, new)
    assert [r.points for r in in_force(rows, date(2029, 12, 31))] == [120]
    assert [r.points for r in in_force(rows, date(2030, 1, 1))] == [130]


def test_calculator_reads_the_pass_mark_from_the_rule_set() -> None:
    on = date(2024, 6, 15)
    rules = replace(rules_in_force(on), pass_mark=PassMarkRow("pass_mark.test_30", 30, "test", on))
    result = calculate(claims(on), NO_DEDUCTIONS, on, rules)
    assert (result.total, result.pass_mark, result.pass_mark_rule_id, result.meets_pass_mark) == (
        30,
        30,
        "pass_mark.test_30",
        True,
    )
    assert not calculate(claims(on), NO_DEDUCTIONS, on).meets_pass_mark


def test_rows_of_the_same_key_never_overlap() -> None:
    # Walk the whole history day by day at the points where periods change; rules_in_force raises
    # if two rows of a single-row table overlap.
    day = date(2013, 7, 1)
    while day < date(2027, 1, 1):
        rules_in_force(day)
        day += timedelta(days=30)
