"""The shared kernel: pure rules and vocabulary that several domains need.

Standard library only, so every ``services/<name>/domain`` may import it (the boundary contracts in
pyproject.toml check this): the bilingual text type, field errors and the domain error kinds, the one
vocabulary of roles and clerk duties, national identifiers (resident ID number, unified social credit
code) and the Shanghai districts. Nothing here does I/O or knows a framework.
"""
