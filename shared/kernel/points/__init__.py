"""Points (积分) for the Shanghai residence permit: claims, rules, scoring, narration, checklist, simulator.

Pure standard-library code:

* ``claims``: what an applicant claims; ``consistency``: claims that contradict each other are refused;
* ``model``: the rule model (indicators, row types, the rule set in force on a date); ``rules``: the
  dated tables, each row citing its source; ``catalogues``: the catalogues the rules refer to, loaded
  as data by the service and injected;
* ``aggregation``: how line points add up to a total (either/or choices, direct-120 routes,
  deductions), for the declared and the verified score alike;
* ``calculator``: scores claims against the ``RuleSet`` in force on an assessment date (facts as
  notes, no wording); ``narration``: words a result in Chinese and English;
* ``checklist``: the materials to bring; ``simulation``: the public simulator's answers, mapped to
  claims and scored by the same calculator.
"""

from .aggregation import Aggregation, Choice, ChoiceKind, aggregate
from .calculator import (
    IndicatorLine,
    IneligibilityReason,
    NextStep,
    Note,
    PointsResult,
    calculate,
)
from .catalogues import NO_CATALOGUES, Catalogues, catalogues_from_data
from .checklist import MaterialItem, materials_checklist
from .claims import DeductionClaims, ScoringClaims
from .consistency import ContradictoryClaimsError, social_insurance_problems
from .model import DEDUCTION_INDICATORS, Indicator, NoRulesInForceError, RuleSet
from .narration import INDICATOR_NAMES, LEVEL_NAMES
from .rules import rules_in_force

__all__ = [
    "DEDUCTION_INDICATORS",
    "INDICATOR_NAMES",
    "LEVEL_NAMES",
    "NO_CATALOGUES",
    "Aggregation",
    "Catalogues",
    "Choice",
    "ChoiceKind",
    "ContradictoryClaimsError",
    "DeductionClaims",
    "Indicator",
    "IndicatorLine",
    "IneligibilityReason",
    "MaterialItem",
    "NextStep",
    "NoRulesInForceError",
    "Note",
    "PointsResult",
    "RuleSet",
    "ScoringClaims",
    "aggregate",
    "calculate",
    "catalogues_from_data",
    "materials_checklist",
    "rules_in_force",
    "social_insurance_problems",
]
