"""Errors of population pre-screening, each in one line a coordinator can act on."""

from __future__ import annotations


class ScreeningError(Exception):
    """The screening cannot start or go on: a bad option, an unknown value set, an unreachable server."""
