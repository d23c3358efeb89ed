"""Domain of the applications service: the ``PointsApplication`` aggregate and the pure form rules.

Standard library, ``eventsourcing.domain`` and ``shared.kernel`` only; no frameworks, no I/O. The
kernel holds what other services share: the status and kind vocabulary with its labels, roles, field
errors and error kinds, and the identifier rules (ID numbers, credit codes, mobile numbers).

* ``application``: the aggregate (commands, events, status history).
* ``status``: the status machine as data (actions, who may take them, the transition table).
* ``sections``: one module per form section, each with its dataclasses and a pure validator.
* ``completeness``: checks the whole form for 完成 and the cross-section rules.
* ``errors``: the domain errors, each a kind of the kernel's (messages in Chinese and English).
* ``opening_hours``: the 8:00-22:00 policy with an injectable clock.
* ``records``: dataclass <-> plain-record conversion for events.
* ``points``: claims, rule tables and the points calculator (owned separately).
"""
