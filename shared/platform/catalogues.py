"""The points catalogues (shortage majors, key areas) this service scores with, loaded from data.

``shared/kernel/points/catalogues.json`` holds the catalogue versions known (the sample
entries say so); ``load_catalogues()`` reads and parses it once per process. Approval and the public
simulator pass the same ``Catalogues`` to ``rules_in_force``. Replacing the official lists is a data
change in that file, not a code change.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from shared.kernel.points.catalogues import Catalogues, catalogues_from_data

CATALOGUE_FILE = Path(__file__).resolve().parents[1] / "kernel" / "points" / "catalogues.json"


@cache
def load_catalogues(path: Path = CATALOGUE_FILE) -> Catalogues:
    """The catalogues in ``path`` (``CatalogueError`` if the document is malformed)."""
    return catalogues_from_data(json.loads(path.read_text(encoding="utf-8")))
