"""The simulator's bar chart: geometry for a server-rendered SVG, and its text alternative.

One bar per line that scores (or deducts), then the total and the pass mark. Readable without colour:
every bar carries its value and state in text, lines that do not count are hatched, deductions
cross-hatched, and the pass mark is an outlined bar with a dashed border under the total.
``Chart.description`` says everything the bars say, for the SVG's ``<desc>`` and the caption.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from shared.platform.i18n import t

if TYPE_CHECKING:
    from services.applications.http.simulator import SimulationResult

WIDTH = 380
BAR_AREA = 250  # the longest bar; the rest of the width is for the value text
ROW = 46
BAR = 16
LABEL_DY = 15  # label baseline below the row top
BAR_DY = 22  # bar top below the row top


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: str  # the points and the state, as shown next to the bar
    y: int  # row top
    width: float
    style: str  # "counted" | "set-aside" | "deduction" | "total" | "pass-mark"

    @property
    def label_y(self) -> int:
        return self.y + LABEL_DY

    @property
    def bar_y(self) -> int:
        return self.y + BAR_DY

    @property
    def value_x(self) -> float:
        return self.width + 8

    @property
    def value_y(self) -> int:
        return self.y + BAR_DY + BAR - 3


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    bar_height: int
    bars: tuple[Bar, ...]
    title: str
    description: str


def _scale(points: int, largest: int) -> float:
    if not points:
        return 0.0
    return max(3.0, round(abs(points) / largest * BAR_AREA, 1))


def chart(view: SimulationResult, lang: str) -> Chart | None:
    """The chart of a scored result (``None`` for a veto: there is no score to draw)."""
    if view.total is None:
        return None
    scoring = [line for line in view.lines if line.points]
    largest = max([view.pass_mark, view.total, *(abs(line.points) for line in scoring)])
    bars: list[Bar] = []
    parts: list[str] = []
    for index, line in enumerate(scoring):
        name = line.name.for_lang(lang)
        if line.points < 0:
            style, state = "deduction", t("simulator.chart.deduction", lang)
        elif line.counted:
            style, state = "counted", ""
        else:
            style, state = "set-aside", t("simulator.chart.not_counted", lang)
        shown = f"{line.points:+d}" if line.points < 0 else str(line.points)
        value = t("simulator.chart.value_state", lang, points=shown, state=state) if state else shown
        bars.append(Bar(name, value, index * ROW, _scale(line.points, largest), style))
        parts.append(t("simulator.chart.desc_line", lang, name=name, value=value))
    total_y = len(scoring) * ROW
    total_label = t("simulator.chart.total", lang)
    bars.append(Bar(total_label, str(view.total), total_y, _scale(view.total, largest), "total"))
    pass_label = t("simulator.chart.pass_mark", lang)
    bars.append(
        Bar(pass_label, str(view.pass_mark), total_y + ROW, _scale(view.pass_mark, largest), "pass-mark")
    )
    if view.meets_pass_mark:
        verdict = t("simulator.chart.meets", lang)
    else:
        verdict = t("simulator.chart.short", lang, gap=view.pass_mark - view.total)
    parts.append(
        t("simulator.chart.desc_total", lang, total=view.total, pass_mark=view.pass_mark, verdict=verdict)
    )
    separator = "；" if lang != "en" else "; "
    return Chart(
        width=WIDTH,
        height=total_y + 2 * ROW + 4,
        bar_height=BAR,
        bars=tuple(bars),
        title=t("simulator.chart.title", lang),
        description=separator.join(parts) + ("。" if lang != "en" else "."),
    )
