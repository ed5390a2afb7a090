"""Demo patients for the demo-mode tests, built with `cds.fhir.builder` relative to today (the service
evaluates hooks as of today): an SLE patient for F01, an SSc patient with a digital ulcer for A-DUSE,
and a teenager who is a candidate for nothing. Written as one collection Bundle per file, as in
data/demo-patients. Import as `service.demo_support` (tests/ is on the import path).
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

from cds.eligibility.runner import Screener
from cds.fhir import jsontext
from cds.fhir.builder import LOINC, RXNORM, SNOMED, PatientBuilder, ago

SLE = "demo-sle-ana"
SSC = "demo-ssc-ben"
TEEN = "demo-teen-cara"
# Other observations before the latest hemoglobin, so that a 20-per-page search pages.
FILLER_OBSERVATIONS = 24


@functools.cache
def screener() -> Screener:
    """The real protocols (protocols/), compiled once per test session."""
    return Screener.load()


def today() -> str:
    return dt.date.today().isoformat()


def sle_patient() -> PatientBuilder:
    now = today()
    p = PatientBuilder(SLE, birth_date=ago(now, years=34, days=40), gender="female", name="Lima, Ana")
    p.condition(SNOMED, "55464009", "Systemic lupus erythematosus", onset=ago(now, years=6))
    p.condition(SNOMED, "10509002", "Acute bronchitis", clinical_status="resolved", onset=ago(now, years=2))
    p.observation(LOINC, "718-7", "Hemoglobin", value="10.1", unit="g/dL", date=ago(now, months=5))
    for n in range(FILLER_OBSERVATIONS):
        p.observation(
            LOINC, "8480-6", "Systolic blood pressure", value=118 + n % 7, unit="mm[Hg]",
            date=ago(now, days=200 - 7 * n), category="vital-signs",
        )  # fmt: skip
    p.observation(LOINC, "718-7", "Hemoglobin", value="11.20", unit="g/dL", date=ago(now, days=20))
    p.medication(RXNORM, "8640", "prednisone", start=ago(now, months=14), dose=(10, "mg"), route="oral")
    p.medication(
        RXNORM, "5521", "hydroxychloroquine", start=ago(now, years=5), dose=(200, "mg"), route="oral"
    )
    return p


def latest_hemoglobin_id() -> str:
    """The id of the SLE patient's latest hemoglobin, which a 20-per-page search puts on page two."""
    hemoglobins = [
        r
        for r in sle_patient().resources
        if r["resourceType"] == "Observation" and r["code"]["coding"][0]["code"] == "718-7"
    ]
    return str(max(hemoglobins, key=lambda r: str(r["effectiveDateTime"]))["id"])


def ssc_patient() -> PatientBuilder:
    now = today()
    p = PatientBuilder(SSC, birth_date=ago(now, years=52, days=100), gender="male", name="Okafor, Ben")
    p.condition(SNOMED, "89155008", "Systemic sclerosis", onset=ago(now, years=5))
    p.condition(
        SNOMED,
        "46742003",
        "Skin ulcer",
        text="Digital ulcer, right index fingertip",
        onset=ago(now, weeks=12),
    )
    p.medication(RXNORM, "17767", "amlodipine", start=ago(now, months=8), dose=(10, "mg"), route="oral")
    return p


def teen_patient() -> PatientBuilder:
    now = today()
    p = PatientBuilder(TEEN, birth_date=ago(now, years=16), gender="female", name="Novak, Cara")
    p.condition(SNOMED, "195967001", "Asthma", onset=ago(now, years=4))
    return p


def write_demo_patients(folder: Path) -> Path:
    """One collection Bundle per patient in `folder`; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for builder in (sle_patient(), ssc_patient(), teen_patient()):
        (folder / f"{builder.patient_id}.json").write_text(jsontext.dumps(builder.bundle(), indent=1))
    return folder


def decisive(result: dict[str, Any]) -> tuple[Any, ...]:
    """What decided a result: verdict, and per criterion its status and the records behind it.

    Evidence wording is left out: the service reads hook prefetch numbers as JSON floats, so a
    prefetched 11.20 prints as 11.2 while the review, reading the file, keeps 11.20.
    """
    criteria = tuple(
        (c["id"], c["status"], tuple((e.get("reference"), e.get("date")) for e in c.get("evidence", [])))
        for c in result["criteria"]
    )
    return result["protocol"], result.get("cohort"), result["verdict"], criteria
