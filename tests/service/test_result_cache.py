"""Evaluation results kept by content: a changed record is a new key, never a stale answer."""

from __future__ import annotations

from cds.eligibility.results import PatientResult
from cds.service.result_cache import ResultCache, content_key

PATIENT = {"resourceType": "Patient", "id": "p", "birthDate": "1980-01-01"}
HB = {"resourceType": "Observation", "id": "o", "status": "final", "valueQuantity": {"value": 12}}


def test_the_key_ignores_resource_order_but_not_content() -> None:
    assert content_key([PATIENT, HB], "p", "2026-11-01") == content_key([HB, PATIENT], "p", "2026-11-01")
    changed = {**HB, "valueQuantity": {"value": 7}}
    assert content_key([PATIENT, HB], "p", "2026-11-01") != content_key([PATIENT, changed], "p", "2026-11-01")


def test_the_key_changes_with_the_evaluation_date_and_protocols() -> None:
    base = content_key([PATIENT], "p", "2026-11-01", "f01")
    assert base != content_key([PATIENT], "p", "2026-11-02", "f01")
    assert base != content_key([PATIENT], "p", "2026-11-01", "a-duse")


def test_the_cache_is_bounded_least_recently_used() -> None:
    cache = ResultCache(2)
    results = [PatientResult(f"Patient/{n}", "2026-11-01") for n in range(3)]
    cache.put("a", results[0])
    cache.put("b", results[1])
    assert cache.get("a") is results[0]  # a is now the most recent
    cache.put("c", results[2])
    assert cache.get("b") is None and cache.get("a") is results[0] and cache.get("c") is results[2]


def test_size_zero_turns_the_cache_off() -> None:
    cache = ResultCache(0)
    cache.put("a", PatientResult("Patient/a", "2026-11-01"))
    assert cache.get("a") is None


def test_decimals_keep_their_digits_and_are_not_strings() -> None:
    from decimal import Decimal

    def hb(value: object) -> dict[str, object]:
        return {**HB, "valueQuantity": {"value": value}}

    key = content_key([hb(Decimal("11.20"))], "p")
    assert key == content_key([hb(Decimal("11.20"))], "p")
    assert key != content_key([hb(Decimal("11.2"))], "p")
    assert key != content_key([hb("11.20")], "p")


def test_resources_that_are_not_objects_still_give_a_key() -> None:
    assert content_key([PATIENT, "junk", 3], "p") != content_key([PATIENT], "p")


def test_the_order_of_members_at_any_depth_does_not_change_the_key() -> None:
    a = {"resourceType": "Observation", "id": "o", "code": {"coding": [{"system": "s", "code": "c"}]}}
    b = {"code": {"coding": [{"code": "c", "system": "s"}]}, "id": "o", "resourceType": "Observation"}
    assert content_key([a], "p") == content_key([b], "p")
    assert content_key([a], "p") != content_key(
        [{**a, "code": {"coding": [{"system": "s", "code": "d"}]}}], "p"
    )
