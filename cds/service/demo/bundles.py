"""FHIR R4 answers of the demo FHIR facade, as plain JSON: searchset Bundles with `_count` / `_offset`
paging links, and the CapabilityStatement. Pure functions: the routes pass in what they read."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import cds

Resource = dict[str, Any]
DEFAULT_PAGE_SIZE = 20  # what HAPI answers without `_count`, so the demo page really pages
MAX_PAGE_SIZE = 1000
# Search parameters naming the patient, by resource type; FHIR's `patient` and `subject` for the rest.
PATIENT_PARAMETERS = {
    "AllergyIntolerance": ("patient",),
    "Immunization": ("patient",),
    "ResearchSubject": ("individual", "patient"),
    "Coverage": ("beneficiary", "patient"),
}
_DEFAULT_PATIENT_PARAMETERS = ("patient", "subject")


@dataclass(frozen=True, slots=True)
class Page:
    """Which slice of the matches a search returns."""

    count: int = DEFAULT_PAGE_SIZE
    offset: int = 0


def patient_parameters(resource_type: str) -> tuple[str, ...]:
    return PATIENT_PARAMETERS.get(resource_type, _DEFAULT_PATIENT_PARAMETERS)


def patient_id_from(value: str) -> str:
    """The id in a reference search value: `123`, `Patient/123` or `https://.../Patient/123`.

    >>> [patient_id_from(v) for v in ("123", "Patient/123", "http://x/fhir/Patient/123")]
    ['123', '123', '123']
    """
    return value.rstrip("/").rsplit("/", 1)[-1]


def searchset(
    base: str,
    resource_type: str,
    criteria: Sequence[tuple[str, str]],
    matches: Sequence[Resource],
    page: Page,
) -> Resource:
    """One page of a search's matches, with self / first / previous / next links.

    `criteria` are the search parameters other than paging, echoed in every link so that a client
    following `next` repeats the same search.
    """
    shown = matches[page.offset : page.offset + page.count]
    links = [("self", page), ("first", Page(page.count, 0))]
    if page.offset > 0 and page.count > 0:
        links.append(("previous", Page(page.count, max(page.offset - page.count, 0))))
    if page.count > 0 and page.offset + page.count < len(matches):
        links.append(("next", Page(page.count, page.offset + page.count)))
    bundle: Resource = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(matches),
        "link": [
            {"relation": relation, "url": page_url(base, resource_type, criteria, linked)}
            for relation, linked in links
        ],
    }
    if shown:
        bundle["entry"] = [
            {
                "fullUrl": f"{base}/{r['resourceType']}/{r['id']}",
                "resource": r,
                "search": {"mode": "match"},
            }
            for r in shown
        ]
    return bundle


def page_url(base: str, resource_type: str, criteria: Sequence[tuple[str, str]], page: Page) -> str:
    """
    >>> page_url("http://h/demo/fhir", "Observation", [("patient", "p1")], Page(5, 10))
    'http://h/demo/fhir/Observation?patient=p1&_count=5&_offset=10'
    """
    query = [*criteria, ("_count", str(page.count)), ("_offset", str(page.offset))]
    return f"{base}/{resource_type}?{urlencode(query)}"


def capability_statement(base: str, resource_types: Iterable[str], date: str) -> Resource:
    """What the facade can do: read every type, search each by its patient parameter."""
    resources = []
    for rtype in sorted(set(resource_types) | {"Patient"}):
        params = ("_id",) if rtype == "Patient" else patient_parameters(rtype)
        resources.append(
            {
                "type": rtype,
                "interaction": [{"code": "read"}, {"code": "search-type"}],
                "searchParam": [
                    {"name": name, "type": "token" if name == "_id" else "reference"} for name in params
                ],
            }
        )
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": date,
        "kind": "instance",
        "software": {"name": "trialcds demo FHIR server", "version": cds.__version__},
        "implementation": {
            "description": "Read-only FHIR facade over the trialcds demo patients (no real patient data)",
            "url": base,
        },
        "fhirVersion": "4.0.1",
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "resource": resources,
                "searchParam": [
                    {"name": "_count", "type": "number"},
                    {"name": "_offset", "type": "number"},
                ],
            }
        ],
    }
