"""Accounts domain: the password policy and the unit-registration aggregate.

Imports only the standard library, ``eventsourcing.domain`` and ``shared.kernel`` (where the
identifier rules live: credit codes, ID numbers, mobile numbers, districts); no I/O.

Modules:
    password           the stated password policy
    unit_registration  UnitRegistration aggregate: PENDING_REVIEW -> APPROVED | REJECTED
"""
