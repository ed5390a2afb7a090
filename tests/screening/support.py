"""A small trial of our own for the screening tests (the real protocols are still being written and
are exercised end to end in tests/e2e), and populations built with cds.fhir.builder."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cds.eligibility.runner import Screener
from cds.fhir import jsontext
from cds.fhir.builder import ICD10CM, SNOMED, PatientBuilder

AS_OF = "2026-11-01"
SSC_SNOMED = "89155008"
SSC_ICD = "M34.0"
SLE_SNOMED = "55464009"
HYPERTENSION = "38341003"

TOY_YAML = """\
id: toy
nct: NCT00000001
title: A toy trial for systemic sclerosis
short_title: Toy
libraries: [Toy]
screening:
  diagnoses: [dx-ssc]
criteria:
  - id: inc-age
    kind: inclusion
    text: Age 18 to 65
  - id: inc-ssc
    kind: inclusion
    text: Systemic sclerosis
"""

TOY_CQL = """\
library Toy version '0.1.0'
using FHIR version '4.0.1'
include FHIRHelpers version '4.0.1'
include Conditions version '0.1.0' called Conditions
include Demographics version '0.1.0' called Demographics
valueset "Systemic sclerosis": 'https://trialcds.org/fhir/ValueSet/dx-ssc'
context Patient
define "inc-age": Demographics.AgeCriterion(18, 65)
define "inc-ssc": Conditions.Required(Conditions.Active("Systemic sclerosis"), 'systemic sclerosis')
"""

# A second trial with no screening section: every patient is its candidate.
OPEN_YAML = (
    TOY_YAML.replace("id: toy", "id: open")
    .replace("NCT00000001", "NCT00000002")
    .replace("screening:\n  diagnoses: [dx-ssc]\n", "")
)


def write_protocols(root: Path, with_open_trial: bool = False) -> Path:
    for pid, yaml_text in (("toy", TOY_YAML), ("open", OPEN_YAML))[: 2 if with_open_trial else 1]:
        folder = root / pid
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "protocol.yaml").write_text(yaml_text, encoding="utf-8")
        (folder / "Toy.cql").write_text(TOY_CQL, encoding="utf-8")
    return root


def toy_screener(root: Path, with_open_trial: bool = False) -> Screener:
    return Screener.load(None, write_protocols(root, with_open_trial))


def population(count: int) -> list[PatientBuilder]:
    """Patients p0..: one in three has SSc by SNOMED, one in three by ICD-10-CM, the rest only
    hypertension; ages run from 76 down (1950 + n), so some are too old for the toy trial."""
    patients = []
    for n in range(count):
        p = PatientBuilder(f"p{n}", birth_date=f"{1950 + n % 60}-01-01", name=f"Doe{n}, Jane")
        if n % 3 == 0:
            p.condition(SNOMED, SSC_SNOMED, "Systemic sclerosis", onset="2015-01-01")
        elif n % 3 == 1:
            p.condition(ICD10CM, SSC_ICD, "Progressive systemic sclerosis", onset="2016-01-01")
        p.condition(SNOMED, HYPERTENSION, "Hypertension")
        patients.append(p)
    return patients


def write_export(folder: Path, patients: Iterable[PatientBuilder]) -> Path:
    """A Bulk Data export: one NDJSON file per resource type."""
    by_type: dict[str, list[dict[str, Any]]] = {}
    for p in patients:
        for r in p.resources:
            by_type.setdefault(r["resourceType"], []).append(r)
    folder.mkdir(parents=True, exist_ok=True)
    for rtype, resources in by_type.items():
        lines = "".join(jsontext.dumps(r) + "\n" for r in resources)
        (folder / f"{rtype}.ndjson").write_text(lines, encoding="utf-8")
    return folder


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
