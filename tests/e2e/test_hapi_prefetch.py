"""The discovery prefetch templates, executed literally against HAPI, bring back everything the
protocols read: evaluating on that prefetch gives exactly the results of the patient's own bundle."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cds.eligibility.runner import Screener
from cds.fhir.reader import PatientData

from .conftest import Sandbox

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

AS_OF = "2026-11-01"


def _resources(prefetch: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for value in prefetch.values():
        if value.get("resourceType") == "Bundle":
            out.extend(entry["resource"] for entry in value.get("entry", []))
        else:
            out.append(value)
    return out


def test_every_demo_patient_was_loaded_into_hapi(hapi: Sandbox) -> None:
    assert hapi.load.bundles == len(hapi.patients)
    assert hapi.load.resources == sum(len(p.resources) for p in hapi.patients)


def test_the_templates_ask_only_for_reads_and_searches_by_patient(
    discovery_templates: dict[str, str],
) -> None:
    assert discovery_templates["patient"] == "Patient/{{context.patientId}}"
    for key, template in discovery_templates.items():
        if key != "patient":
            assert template.endswith("={{context.patientId}}") and "?" in template, template


def test_the_prefetch_holds_every_resource_of_the_patients_bundle_that_the_protocols_read(
    hapi: Sandbox, prefetch_of: Callable[[str], dict[str, Any]], discovery_templates: dict[str, str]
) -> None:
    read_types = {t.split("?")[0].split("/")[0] for t in discovery_templates.values()}
    for patient in hapi.patients:
        fetched = {(r["resourceType"], r["id"]) for r in _resources(prefetch_of(patient.id))}
        wanted = {(r["resourceType"], r["id"]) for r in patient.resources if r["resourceType"] in read_types}
        assert wanted <= fetched, (patient.id, sorted(wanted - fetched))


def test_evaluating_on_the_prefetch_gives_exactly_the_results_of_the_bundle(
    hapi: Sandbox, screener: Screener, prefetch_of: Callable[[str], dict[str, Any]]
) -> None:
    differing = []
    for patient in hapi.patients:
        from_bundle = screener.evaluate(PatientData(patient.id, list(patient.resources)), AS_OF).to_json()
        fetched = _resources(prefetch_of(patient.id))
        from_hapi = screener.evaluate(PatientData(patient.id, fetched), AS_OF).to_json()
        if from_hapi != from_bundle:
            differing.append((patient.id, _first_difference(from_bundle, from_hapi)))
    assert differing == []


def _first_difference(expected: dict[str, Any], actual: dict[str, Any]) -> str:
    for want, got in zip(expected["results"], actual["results"], strict=True):
        for a, b in zip(want["criteria"], got["criteria"], strict=True):
            if a != b:
                return f"{want['protocol']}/{want.get('cohort', '')} {a['id']}: bundle {a} vs HAPI {b}"
    return "results differ"
