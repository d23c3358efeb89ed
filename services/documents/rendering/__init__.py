"""PDF rendering: what the documents say (``content``), how they look (Typst ``templates/``) and the
compiler that turns one into the other (``renderer``)."""
