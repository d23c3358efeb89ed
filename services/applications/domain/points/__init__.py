"""Points (积分) for the Shanghai residence permit: claims, versioned rule tables, calculator, checklist.

Pure standard-library code. ``claims`` describes what an applicant claims, ``rules`` holds the dated
rule tables and catalogues (each row cites its source), ``calculator`` scores claims against the
``RuleSet`` in force on an assessment date, and ``checklist`` derives the materials to bring.
"""

from .calculator import IndicatorLine, IneligibilityReason, NextStep, PointsResult, calculate
from .checklist import MaterialItem, materials_checklist
from .claims import DeductionClaims, ScoringClaims
from .rules import Indicator, RuleSet, rules_in_force

__all__ = [
    "DeductionClaims",
    "Indicator",
    "IndicatorLine",
    "IneligibilityReason",
    "MaterialItem",
    "NextStep",
    "PointsResult",
    "RuleSet",
    "ScoringClaims",
    "calculate",
    "materials_checklist",
    "rules_in_force",
]
