"""Where the content folders (fhir_mappings/, protocols/, hooks/) live: inside the wheel under
cds/_content, or at the repository root in a development checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def content_dir(name: str) -> Path:
    packaged = _PACKAGE / "_content" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / name
