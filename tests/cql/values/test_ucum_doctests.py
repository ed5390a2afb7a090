"""The examples in the ucum module's docstrings hold."""

import doctest

from cds.cql.values import ucum


def test_the_ucum_module_examples_hold() -> None:
    result = doctest.testmod(ucum)
    assert result.attempted >= 4
    assert result.failed == 0
