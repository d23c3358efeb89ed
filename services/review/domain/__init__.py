"""Review domain: working-day calendar, the 20-working-day scoring clock, clerk rules.

Imports only the standard library; no I/O.

Modules:
    holidays      State Council holiday arrangements for 2025 and 2026, as data with sources
    working_days  is_working_day / add_working_days / working_days_between; ScoringClock
    clerk_rules   duties, own-district rule and the four-eyes rule, returning bilingual Decisions
    timeline      StatusTimeline: an application's published status steps, as the case page shows them
"""
