"""Personal names as a public page may show them."""

from __future__ import annotations


def mask_name(name: str) -> str:
    """The first character (usually the surname) and one ``*`` per other character: 张伟 -> 张*,
    欧阳娜娜 -> 欧***; a Latin name keeps its first letter (Anna Li -> A*** **)."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "".join(" " if char == " " else "*" for char in name[1:])
