"""Accounts domain: pure validators for identifiers and passwords, and the unit-registration aggregate.

Imports only the standard library and ``eventsourcing.domain``; no I/O.

Modules:
    errors             FieldError (stable code + zh-CN/English messages), ValidationFailed
    credit_code        unified social credit code, GB 32100-2015 (+ GB 11714 organisation code)
    id_number          resident ID number, GB 11643-1999; mask_id_number
    mobile             mainland mobile numbers
    districts          the 16 Shanghai districts with division codes and English names
    password           the stated password policy
    unit_registration  UnitRegistration aggregate: PENDING_REVIEW -> APPROVED | REJECTED
"""
