"""The doctests of the screening helpers (search queries, references, state keys, progress text,
report cells), run as part of the suite."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "cds.screening.diagnoses",
    "cds.screening.state",
    "cds.screening.progress",
    "cds.screening.report",
    "cds.screening.html_report",
]


@pytest.mark.parametrize("name", MODULES)
def test_module_examples_hold(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
