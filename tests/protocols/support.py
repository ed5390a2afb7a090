"""Shared helpers for protocol and mapping tests: evaluate one criterion of one protocol, or one CQL
expression over the fhir_mappings libraries, for a patient built with `cds.fhir.builder`.

    from protocols.support import AS_OF, expect, mapping_value

    p = PatientBuilder("t1", birth_date="2008-11-02")
    expect("a-duse", "inc-age", p, "fail")                       # returns the CriterionResult
    mapping_value("Demographics.AgeInYears()", p, ["Demographics"])  # -> 17

Import as `protocols.support` (tests/protocols and tests/fhir_mappings are packages, so pytest puts
tests/ on the import path whichever directory it collects first).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from cds.content import content_dir
from cds.cql import DefineError, DirectoryResolver, compile_library
from cds.cql.engine import evaluate_in
from cds.eligibility.externals import EXTERNALS
from cds.eligibility.results import CriterionResult, ProtocolResult
from cds.eligibility.runner import (  # the runner's own define -> result reading
    Screener,
    _criterion,
    compile_protocol,
)
from cds.fhir.builder import PatientBuilder
from cds.fhir.reader import PatientData
from cds.fhir.record import PatientRecord
from cds.fhir.terminology import ValueSetLibrary

AS_OF = "2026-11-01"


@functools.cache
def screener(protocol_id: str) -> Screener:
    """The protocol compiled once per test session (only its own folder: another protocol's
    problems do not fail this one's tests)."""
    folder = content_dir("protocols") / protocol_id
    return Screener([compile_protocol(folder, content_dir("fhir_mappings"))], terminology())


@functools.cache
def terminology() -> ValueSetLibrary:
    mappings = content_dir("fhir_mappings")
    return ValueSetLibrary.load(mappings / "valuesets", mappings / "conceptmaps")


def criterion(
    protocol_id: str, criterion_id: str, patient: PatientBuilder, as_of: str = AS_OF
) -> CriterionResult:
    """One criterion's result, evaluating only its define (as the screener reads it)."""
    s = screener(protocol_id)
    loaded = s.protocols[0]
    spec = next((c for c in loaded.spec.criteria if c.id == criterion_id), None)
    if spec is None:
        raise KeyError(f"{protocol_id} has no criterion {criterion_id}")
    ctx = s.context(PatientRecord(patient.resources), as_of)
    value = evaluate_in(loaded.library_of(spec.library), ctx, [criterion_id])[criterion_id]
    return _criterion(spec.id, spec.kind, spec.text, value)


def expect(
    protocol_id: str, criterion_id: str, patient: PatientBuilder, status: str, as_of: str = AS_OF
) -> CriterionResult:
    """Assert a criterion's status (the message shows its evidence and check) and return the result."""
    result = criterion(protocol_id, criterion_id, patient, as_of)
    assert result.status == status, (
        f"{protocol_id} {criterion_id}: expected {status}, got {result.status}; "
        f"evidence {[e.to_json() for e in result.evidence]}; check {result.check!r}"
    )
    return result


def protocol_results(protocol_id: str, patient: PatientBuilder, as_of: str = AS_OF) -> list[ProtocolResult]:
    """Every protocol / cohort result of the patient for that protocol."""
    data = PatientData(patient.patient_id, patient.resources)
    return list(screener(protocol_id).evaluate(data, as_of).results)


def evidence_text(result: CriterionResult) -> str:
    """All evidence displays and the check in one string, for `in` assertions."""
    return " | ".join([e.display for e in result.evidence] + ([result.check] if result.check else []))


# ---------------------------------------------------------------------------- mapping libraries
def _header(includes: Sequence[str]) -> str:
    lines = [
        "library MappingTest version '0.0.0'",
        "using FHIR version '4.0.1'",
        "include FHIRHelpers version '4.0.1'",
        *(f"include {name} version '0.1.0' called {name}" for name in includes),
    ]
    # Every value set of fhir_mappings, named by its id: "dx-ssc", "lab-hcg", ...
    lines += [
        f"valueset \"{e.id}\": '{e.url}'"
        for e in sorted(terminology().by_url.values(), key=lambda e: e.id)
        if e.url.endswith("/" + e.id)
    ]
    return "\n".join([*dict.fromkeys(lines), "context Patient", ""])


def mapping_values(
    defines: str, patient: PatientBuilder, includes: Sequence[str], as_of: str = AS_OF
) -> dict[str, Any]:
    """Evaluate CQL defines (text of `define X: ...` lines) with the named fhir_mappings libraries
    included under their own names and every value set declared by id; a failing define raises."""
    text = _header(includes) + defines
    library = compile_library(
        text, DirectoryResolver((content_dir("fhir_mappings"),)), EXTERNALS, "MappingTest"
    )
    ctx = Screener([], terminology()).context(PatientRecord(patient.resources), as_of)
    values = evaluate_in(library, ctx)
    for value in values.values():
        if isinstance(value, DefineError):
            raise value.error
    return values


def mapping_value(
    expression: str, patient: PatientBuilder, includes: Sequence[str], as_of: str = AS_OF
) -> Any:
    """One CQL expression's value (see mapping_values)."""
    return mapping_values(f"define Value:\n  {expression}\n", patient, includes, as_of)["Value"]


# ---------------------------------------------------------------------------- typical patients
SSC = ("http://snomed.info/sct", "89155008", "Systemic sclerosis")
SKIN_ULCER = ("http://snomed.info/sct", "46742003", "Skin ulcer")
FINGER = ("http://snomed.info/sct", "7569003", "Finger structure")


def ssc_with_digital_ulcer(
    pid: str, *, ulcer_onset: str | None = "2026-08-01", gender: str = "male", birth_date: str = "1970-05-05"
) -> PatientBuilder:
    """A man of 56 with systemic sclerosis since 2015 and an active ulcer on a finger (bodySite)."""
    p = PatientBuilder(pid, birth_date=birth_date, gender=gender)
    p.condition(*SSC, onset="2015-01-01")
    p.condition(*SKIN_ULCER, onset=ulcer_onset, body_site=FINGER)
    return p
