"""The largest numbers a points answer can sensibly take, wherever the question is asked: the public
simulator's questions (``simulation.SimulatorAnswers``) and the application form's validators
(``services/applications/domain/sections``) read the same constants, so the same question has the same
range everywhere.

They are bounds of plausibility, not scoring rules: every indicator's cap is far below them (the
calculator stops counting long before), and a value above them is a typing mistake that would only fill
the pages with an absurd number. The lower bound of a count is 0.
"""

from __future__ import annotations

from decimal import Decimal

MAX_MONTHS = 600
"""Months of one kind (social insurance paid, in an incubator, in technology transfer): 50 years, a
whole working life."""

MAX_YEARS = 60
"""Full years of work in a public-service field or a key area."""

MAX_RECORDS = 20
"""Records of one kind: deduction records, awards, titles, key areas."""

MAX_TAX_YUAN = 10**12
"""An enterprise's tax paid in one year, in yuan (a trillion: above the largest taxpayers')."""

MAX_HIRES = 100_000
"""Shanghai-hukou staff an enterprise employed in one year."""

MAX_BASE_MULTIPLE = Decimal(3)
"""A month's contribution base as a multiple of the average wage: Shanghai caps the contribution base
at 300 % of it (社会保险缴费基数上限为社平的300%), which is also the top band of the base indicator."""
