"""Bundles for loading: conversion to transactions and the names used in error messages."""

from __future__ import annotations

import pytest

from cds.sandbox.bundles import as_transaction, bundle_name


def _collection(*resources: dict[str, object]) -> dict[str, object]:
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}


def test_a_transaction_bundle_is_sent_unchanged() -> None:
    transaction = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [{"resource": {"resourceType": "Patient"}, "request": {"method": "POST", "url": "Patient"}}],
    }
    assert as_transaction(transaction) == transaction


def test_collection_resources_with_ids_are_put_at_their_ids_so_references_hold() -> None:
    tx = as_transaction(
        _collection({"resourceType": "Patient", "id": "p1"}, {"resourceType": "Condition", "id": "c9"})
    )
    assert tx["type"] == "transaction"
    assert [e["request"] for e in tx["entry"]] == [
        {"method": "PUT", "url": "Patient/p1"},
        {"method": "PUT", "url": "Condition/c9"},
    ]


def test_collection_resources_without_ids_are_posted() -> None:
    tx = as_transaction(_collection({"resourceType": "Observation", "status": "final"}))
    assert tx["entry"][0]["request"] == {"method": "POST", "url": "Observation"}
    assert tx["entry"][0]["resource"] == {"resourceType": "Observation", "status": "final"}


def test_full_urls_survive_conversion_so_urn_uuid_references_resolve() -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": "urn:uuid:0b1c", "resource": {"resourceType": "Patient"}}],
    }
    assert as_transaction(bundle)["entry"][0]["fullUrl"] == "urn:uuid:0b1c"


def test_something_other_than_a_bundle_is_refused() -> None:
    with pytest.raises(ValueError, match="expected a Bundle"):
        as_transaction({"resourceType": "Patient"})


def test_an_entry_without_a_resource_is_refused() -> None:
    with pytest.raises(ValueError, match="without a resource"):
        as_transaction({"resourceType": "Bundle", "type": "collection", "entry": [{"fullUrl": "x"}]})


def test_a_bundle_is_named_by_its_id_first() -> None:
    assert (
        bundle_name({"id": "demo-3", "entry": [{"resource": {"resourceType": "Patient", "id": "p"}}]}, 0)
        == "demo-3"
    )


def test_a_bundle_without_id_is_named_by_position_and_patient() -> None:
    bundle = {
        "entry": [
            {"resource": {"resourceType": "Condition"}},
            {"resource": {"resourceType": "Patient", "id": "p4"}},
        ]
    }
    assert bundle_name(bundle, 4) == "bundle #5 (Patient/p4)"
