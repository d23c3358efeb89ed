"""Points (积分) for the Shanghai residence permit: claims, rules, scoring, narration, checklist, simulator.

Pure standard-library code:

* ``claims``: what an applicant claims; ``consistency``: claims that contradict each other are refused;
* ``model``: the rule model (indicators, row types, the rule set in force on a date); ``rules``: the
  dated tables, each row citing its source; ``catalogues``: the catalogues the rules refer to, loaded
  as data by the service and injected;
* ``calculator``: scores claims against the ``RuleSet`` in force on an assessment date (facts as
  notes, no wording); ``narration``: words a result in Chinese and English;
* ``checklist``: the materials to bring; ``simulation``: the public simulator's answers, mapped to
  claims and scored by the same calculator.
"""

from .calculator import (
    Choice,
    ChoiceKind,
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
    "calculate",
    "catalogues_from_data",
    "materials_checklist",
    "rules_in_force",
    "social_insurance_problems",
]
