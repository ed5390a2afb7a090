"""Reading a hook's prefetch: what was given, what must still be fetched, and malformed values."""

from __future__ import annotations

from typing import Any

import pytest

from cds.fhir.prefetch import read_prefetch, templates

WANTED = templates(["Observation"])
CONTEXT = {"patientId": "p1"}
HB = {"resourceType": "Observation", "id": "hb"}


def test_a_searchset_bundle_gives_its_resources_and_its_next_page() -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [{"resource": HB}, {"resource": {"resourceType": "OperationOutcome"}}],
        "link": [{"relation": "next", "url": "https://ehr.example.org/fhir?page=2"}],
    }
    state = read_prefetch({"patient": None, "observation": bundle}, WANTED, CONTEXT)
    assert state.resources == [HB]
    assert state.next_pages == {"observation": "https://ehr.example.org/fhir?page=2"}
    assert state.to_fetch == {} and state.failed == {}


def test_absent_keys_are_fetched_and_null_keys_are_not() -> None:
    state = read_prefetch({"patient": None}, WANTED, CONTEXT)
    assert state.to_fetch == {"observation": "Observation?patient=p1"}


@pytest.mark.parametrize(
    "bundle",
    [
        {"resourceType": "Bundle", "entry": 5},
        {"resourceType": "Bundle", "entry": {"resource": HB}},
        {"resourceType": "Bundle", "entry": "x"},
        {"resourceType": "Bundle", "entry": [], "link": 5},
        {"resourceType": "Bundle", "entry": [], "link": ["x"]},
        {"resourceType": "Bundle", "entry": [], "link": [{"relation": "next", "url": {"a": 1}}]},
    ],
)
def test_a_malformed_bundle_is_a_failed_client_fetch_not_a_crash(bundle: dict[str, Any]) -> None:
    """Regression (found by fuzzing the hook endpoint): `"entry": 5` in a prefetched Bundle was a 500."""
    state = read_prefetch({"patient": None, "observation": bundle}, WANTED, CONTEXT)
    assert state.resources == []
    assert state.failed == {"observation": "not a valid Bundle"}
    assert state.to_fetch == {"observation": "Observation?patient=p1"}


def test_unusable_entries_of_a_valid_bundle_are_skipped() -> None:
    bundle = {"resourceType": "Bundle", "entry": [None, 3, {"resource": "x"}, {"resource": HB}]}
    state = read_prefetch({"patient": None, "observation": bundle}, WANTED, CONTEXT)
    assert state.resources == [HB] and state.failed == {}
