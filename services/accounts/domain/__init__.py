"""Accounts domain: units, applicants, clerks, their credentials, and the rules they keep.

Imports only the standard library, ``eventsourcing.domain`` and ``shared.kernel`` (where the
identifier rules live: credit codes, ID numbers, mobile numbers, districts); no I/O.

Modules:
    password           the stated password policy
    fields             shared field rules (required text, e-mail, a unit's HR contact)
    codes              single-use codes: derived from a secret and a request id, kept as a digest
    unit_registration  UnitRegistration aggregate (the unit account): PENDING_REVIEW -> APPROVED | REJECTED
    applicant          Applicant aggregate (the personal account): activation, change of employer
    clerk              Clerk aggregate: district, duties, deactivation
    credentials        Credentials aggregate: password hash, window resets, ends of sessions
"""
