"""The documents domain: which documents an application has (versions, ids, verification codes), who
may download them, and what they are called.

Pure code (standard library, ``eventsourcing.domain``, ``shared.kernel``). Rendering (Typst), storage
and the contracts live outside: the domain only records facts and decides.
"""
