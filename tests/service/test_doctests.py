"""The doctests of the service's small helpers, run as part of the suite."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "cds.service.auth",
    "cds.service.card_keys",
    "cds.service.errors",
    "cds.service.feedback_store",
    "cds.service.fhir_server_policy",
    "cds.service.observability",
    "cds.service.settings",
    "cds.service.wire",
]


@pytest.mark.parametrize("name", MODULES)
def test_module_examples_hold(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
