"""GitHub-flavoured markdown helpers for card details: escaping and table rows."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]<|#])")


def escape(text: str) -> str:
    """Text as literal markdown: no emphasis, links, HTML or table breaks from data values.

    >>> escape("Hb <8 g/dL | low*")
    'Hb \\\\<8 g/dL \\\\| low\\\\*'
    """
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"
