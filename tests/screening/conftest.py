"""Fixtures of the screening tests: the toy trial compiled once, alone or with an unnarrowed one."""

from __future__ import annotations

import pytest

from cds.eligibility.runner import Screener

from .support import toy_screener


@pytest.fixture(scope="session")
def screener(tmp_path_factory: pytest.TempPathFactory) -> Screener:
    return toy_screener(tmp_path_factory.mktemp("protocols"))


@pytest.fixture(scope="session")
def two_trials(tmp_path_factory: pytest.TempPathFactory) -> Screener:
    return toy_screener(tmp_path_factory.mktemp("protocols"), with_open_trial=True)
