"""The form's coded answers carry their labels once, for every service that shows or prints them."""

from __future__ import annotations

from shared.kernel.form_codes import EducationAttainment, MaritalStatus, ResumeEntryKind, label_of_code
from shared.kernel.text import Text


def test_a_published_code_reads_as_its_label_in_both_languages() -> None:
    assert label_of_code(EducationAttainment, "BACHELOR") == Text("大学本科", "Bachelor's degree")
    assert label_of_code(MaritalStatus, "MARRIED") == Text("已婚", "Married")
    assert label_of_code(ResumeEntryKind, "UNEMPLOYED") == ResumeEntryKind.UNEMPLOYED.label


def test_an_unknown_code_reads_as_itself_and_no_code_as_none() -> None:
    assert label_of_code(EducationAttainment, "POSTDOC") == Text("POSTDOC", "POSTDOC")
    assert label_of_code(MaritalStatus, None) is None
