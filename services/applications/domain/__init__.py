"""Domain of the applications service: the ``PointsApplication`` aggregate and the pure form rules.

Standard library and ``eventsourcing.domain`` only; no frameworks, no I/O.

* ``application``: the aggregate (commands, events, status history).
* ``status``: the status machine as data (statuses, actions, roles, labels, transition table).
* ``sections``: one module per form section, each with its dataclasses and a pure validator.
* ``completeness``: checks the whole form for 完成 and the cross-section rules.
* ``errors``: ``FieldError`` and the domain errors (messages in Chinese and English).
* ``id_number``, ``credit_code``: GB 11643-1999 ID numbers, GB 32100-2015 unit codes.
* ``opening_hours``: the 8:00-22:00 policy with an injectable clock.
* ``records``: dataclass <-> plain-record conversion for events.
* ``points``: claims, rule tables and the points calculator (owned separately).
"""
