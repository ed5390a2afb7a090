"""Errors of the FHIR data layer: what is wrong with the input, and where."""

from __future__ import annotations


class DataError(Exception):
    """Unusable input data: names the file (or source) and the problem, in one line."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem
