"""The examples in the temporal modules' docstrings hold."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from cds.cql.values.temporal import calendar, text, units


@pytest.mark.parametrize("module", [calendar, text, units], ids=lambda m: m.__name__)
def test_the_docstring_examples_hold(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted >= 1
    assert result.failed == 0
