"""The shared kernel: pure rules and vocabulary that several domains need, defined once.

Standard library only, so every ``services/<name>/domain`` may import it (the import-linter contracts
in pyproject.toml check both). Nothing here does I/O or knows a framework.

Modules:
    text                Text (zh-CN + English), LabelledEnum (enum members that carry their Text label)
    errors              FieldError, Validated[T]; the error kinds DomainError, ValidationFailed (422),
                        StateConflict (409), NotPermitted (403), NotVisible (404)
    roles               Role (applicant, unit, clerk, system), ACCOUNT_ROLES, Duty (clerk duties)
    application_status  ApplicationStatus and ApplicationKind (新办 / 续办), with their labels
    id_number           GB 11643 resident ID numbers: validate/parse, ResidentId (birth date, Sex),
                        mask_id_number
    credit_code         GB 32100 unified social credit codes (with the GB 11714 organisation-code check)
    mobile              mainland mobile numbers
    districts           the 16 Shanghai districts, former division codes, GB/T 2260 province codes
"""
