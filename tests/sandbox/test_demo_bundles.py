"""The demo Bundles `trialcds sandbox load` sends: a file that is not one is named, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from cds.sandbox.cli import demo_bundles
from cds.sandbox.errors import HapiError


def test_the_shipped_demo_patients_are_bundles() -> None:
    assert all(b["resourceType"] == "Bundle" for b in demo_bundles())


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"resourceType": "Bundle"', "not readable JSON"),
        ("[" * 100_000 + "]" * 100_000, "not readable JSON"),  # regression: RecursionError escaped
        ('{"resourceType": "Patient"}', "not a FHIR Bundle"),
    ],
    ids=["truncated", "nested too deeply", "not a bundle"],
)
def test_a_file_that_is_not_a_bundle_is_named(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "bad.json").write_text(text)
    with pytest.raises(HapiError, match=f"bad.json: {problem}"):
        demo_bundles(tmp_path)
