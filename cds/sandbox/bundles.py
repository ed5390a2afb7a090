"""Bundles for loading: any Bundle made into a transaction, and a name to report it by."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Json = Mapping[str, Any]


def as_transaction(bundle: Json) -> dict[str, Any]:
    """The Bundle as a transaction: a transaction stays as it is, other types get requests.

    A resource with an id is PUT at `Type/id` so that its id (and every reference to it) is
    kept; one without an id is POSTed and HAPI assigns one.

    >>> tx = as_transaction({"resourceType": "Bundle", "type": "collection", "entry": [
    ...     {"resource": {"resourceType": "Patient", "id": "p1"}},
    ...     {"resource": {"resourceType": "Observation"}}]})
    >>> [entry["request"] for entry in tx["entry"]]
    [{'method': 'PUT', 'url': 'Patient/p1'}, {'method': 'POST', 'url': 'Observation'}]
    """
    if bundle.get("resourceType") != "Bundle":
        raise ValueError(f"expected a Bundle, got resourceType {bundle.get('resourceType')!r}")
    if bundle.get("type") in ("transaction", "batch"):
        return dict(bundle)
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [_with_request(entry) for entry in bundle.get("entry", [])],
    }


def bundle_name(bundle: Json, position: int) -> str:
    """How to name a Bundle in a message: its id, else its first Patient, else its position.

    >>> bundle_name({"resourceType": "Bundle", "id": "demo-1"}, 0)
    'demo-1'
    >>> bundle_name({"entry": [{"resource": {"resourceType": "Patient", "id": "p7"}}]}, 2)
    'bundle #3 (Patient/p7)'
    >>> bundle_name({"entry": []}, 0)
    'bundle #1'
    """
    if bundle.get("id"):
        return str(bundle["id"])
    label = f"bundle #{position + 1}"
    for entry in bundle.get("entry", []):
        resource = entry.get("resource", {})
        if resource.get("resourceType") == "Patient" and resource.get("id"):
            return f"{label} (Patient/{resource['id']})"
    return label


def _with_request(entry: Json) -> dict[str, Any]:
    resource = entry.get("resource")
    if not isinstance(resource, Mapping) or "resourceType" not in resource:
        raise ValueError(f"bundle entry without a resource: {dict(entry)!r}")
    kind, resource_id = resource["resourceType"], resource.get("id")
    request = (
        {"method": "PUT", "url": f"{kind}/{resource_id}"} if resource_id else {"method": "POST", "url": kind}
    )
    result = {"resource": resource, "request": request}
    if "fullUrl" in entry:
        # Kept so that `urn:uuid:` references between entries still resolve inside the transaction.
        result["fullUrl"] = entry["fullUrl"]
    return result
