"""A small builder of FHIR R4 patient records, for tests, demo patients and benchmarks.

    p = PatientBuilder("sle-1", birth_date="1985-04-02", gender="female")
    p.condition(SNOMED, "55464009", "Systemic lupus erythematosus", onset="2019-06-01")
    p.observation(LOINC, "718-7", "Hemoglobin", value=11.2, unit="g/dL", date=ago("2026-11-01", days=20))
    p.medication(RXNORM, "8640", "prednisone", start="2026-01-10", dose_mg=10)
    bundle = p.bundle()

Every resource gets an id and a reference to the patient; values are exact Decimals.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

SNOMED = "http://snomed.info/sct"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
LOINC = "http://loinc.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ATC = "http://www.whocc.no/atc"
CVX = "http://hl7.org/fhir/sid/cvx"
UCUM = "http://unitsofmeasure.org"
LOCAL = "https://trialcds.org/fhir/CodeSystem/disease-activity"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

Json = dict[str, Any]


def ago(as_of: str, *, years: int = 0, months: int = 0, weeks: int = 0, days: int = 0) -> str:
    """The date `years/months/weeks/days` before `as_of` (calendar months, clamped to month end)."""
    d = dt.date.fromisoformat(as_of)
    total = d.year * 12 + (d.month - 1) - years * 12 - months
    year, month = divmod(total, 12)
    month += 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    d = dt.date(year, month, min(d.day, last)) - dt.timedelta(weeks=weeks, days=days)
    return d.isoformat()


def coding(system: str, code: str, display: str | None = None) -> Json:
    out: Json = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def concept(
    system: str | None, code: str | None, display: str | None = None, text: str | None = None
) -> Json:
    out: Json = {}
    if system and code:
        out["coding"] = [coding(system, code, display)]
    if text or (display and not out):
        out["text"] = text or display
    return out


def quantity(value: float | int | str | Decimal, unit: str) -> Json:
    return {"value": Decimal(str(value)), "unit": unit, "system": UCUM, "code": unit}


class PatientBuilder:
    """Builds one patient's resources; each method adds one resource and returns it for tweaks."""

    def __init__(
        self,
        patient_id: str,
        birth_date: str | None = "1980-01-01",
        gender: str | None = "female",
        name: str | None = None,
    ) -> None:
        self.patient_id = patient_id
        self._ids = itertools.count(1)
        patient: Json = {"resourceType": "Patient", "id": patient_id}
        if name:
            family, _, given = name.partition(", ")
            patient["name"] = [{"family": family, "given": [given] if given else []}]
        if gender:
            patient["gender"] = gender
        if birth_date:
            patient["birthDate"] = birth_date
        self.patient = patient
        self.resources: list[Json] = [patient]

    # ------------------------------------------------------------------------------ helpers
    def _new(self, rtype: str, prefix: str, subject_key: str = "subject") -> Json:
        resource: Json = {
            "resourceType": rtype,
            "id": f"{self.patient_id}-{prefix}{next(self._ids)}",
            subject_key: {"reference": f"Patient/{self.patient_id}"},
        }
        self.resources.append(resource)
        return resource

    def bundle(self, kind: str = "collection") -> Json:
        return {
            "resourceType": "Bundle",
            "type": kind,
            "entry": [
                {"fullUrl": f"urn:trialcds:{r['resourceType']}/{r['id']}", "resource": r}
                for r in self.resources
            ],
        }

    # ---------------------------------------------------------------------------- resources
    def condition(
        self,
        system: str | None,
        code: str | None,
        display: str | None = None,
        *,
        text: str | None = None,
        onset: str | None = None,
        recorded: str | None = None,
        abatement: str | None = None,
        clinical_status: str | None = "active",
        verification: str | None = "confirmed",
        body_site: tuple[str, str, str] | None = None,
    ) -> Json:
        c = self._new("Condition", "cond")
        if clinical_status:
            c["clinicalStatus"] = concept(
                "http://terminology.hl7.org/CodeSystem/condition-clinical", clinical_status
            )
        if verification:
            c["verificationStatus"] = concept(
                "http://terminology.hl7.org/CodeSystem/condition-ver-status", verification
            )
        c["code"] = concept(system, code, display, text)
        if body_site:
            c["bodySite"] = [concept(*body_site)]
        if onset:
            c["onsetDateTime"] = onset
        if abatement:
            c["abatementDateTime"] = abatement
        if recorded:
            c["recordedDate"] = recorded
        return c

    def observation(
        self,
        system: str,
        code: str,
        display: str | None = None,
        *,
        value: float | int | str | Decimal | None = None,
        unit: str = "1",
        date: str | None = None,
        status: str = "final",
        low: float | int | str | None = None,
        high: float | int | str | None = None,
        range_text: str | None = None,
        value_code: tuple[str, str, str] | None = None,
        value_string: str | None = None,
        interpretation: str | None = None,
        components: list[tuple[str, str, float | int, str]] | None = None,
        category: str | None = "laboratory",
    ) -> Json:
        o = self._new("Observation", "obs")
        o["status"] = status
        if category:
            o["category"] = [concept(OBS_CATEGORY, category)]
        o["code"] = concept(system, code, display)
        if date:
            o["effectiveDateTime"] = date
        if value is not None:
            o["valueQuantity"] = quantity(value, unit)
        elif value_code is not None:
            o["valueCodeableConcept"] = concept(*value_code)
        elif value_string is not None:
            o["valueString"] = value_string
        if interpretation:
            o["interpretation"] = [
                concept("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", interpretation)
            ]
        if low is not None or high is not None or range_text:
            rr: Json = {}
            if low is not None:
                rr["low"] = quantity(low, unit)
            if high is not None:
                rr["high"] = quantity(high, unit)
            if range_text:
                rr["text"] = range_text
            o["referenceRange"] = [rr]
        if components:
            o["component"] = [
                {"code": concept(csys, ccode), "valueQuantity": quantity(cval, cunit)}
                for csys, ccode, cval, cunit in components
            ]
        return o

    def medication(
        self,
        system: str | None,
        code: str | None,
        display: str | None = None,
        *,
        text: str | None = None,
        start: str | None = None,
        end: str | None = None,
        status: str = "active",
        dose: tuple[float | int, str] | None = None,
        per_day: int = 1,
        route: str | None = None,
        reason: tuple[str, str, str] | None = None,
        reason_text: str | None = None,
        asserted: str | None = None,
    ) -> Json:
        """A MedicationStatement (what the patient takes): period start..end, a daily dosage."""
        m = self._new("MedicationStatement", "med")
        m["status"] = status
        m["medicationCodeableConcept"] = concept(system, code, display, text)
        if start or end:
            m["effectivePeriod"] = {k: v for k, v in (("start", start), ("end", end)) if v}
        if asserted:
            m["dateAsserted"] = asserted
        if dose is not None or route:
            m["dosage"] = [_dosage(dose, per_day, route)]
        _reason(m, reason, reason_text)
        return m

    def medication_request(
        self,
        system: str | None,
        code: str | None,
        display: str | None = None,
        *,
        text: str | None = None,
        authored: str | None = None,
        end: str | None = None,
        status: str = "active",
        intent: str = "order",
        dose: tuple[float | int, str] | None = None,
        per_day: int = 1,
        route: str | None = None,
        reason: tuple[str, str, str] | None = None,
        reason_text: str | None = None,
    ) -> Json:
        r = self._new("MedicationRequest", "rx")
        r["status"] = status
        r["intent"] = intent
        r["medicationCodeableConcept"] = concept(system, code, display, text)
        if authored:
            r["authoredOn"] = authored
        if end:
            r["dispenseRequest"] = {"validityPeriod": {"start": authored or end, "end": end}}
        if dose is not None or route:
            r["dosageInstruction"] = [_dosage(dose, per_day, route)]
        _reason(r, reason, reason_text)
        return r

    def procedure(
        self,
        system: str | None,
        code: str | None,
        display: str | None = None,
        *,
        text: str | None = None,
        date: str | None = None,
        status: str = "completed",
        body_site: tuple[str, str, str] | None = None,
    ) -> Json:
        p = self._new("Procedure", "proc")
        p["status"] = status
        p["code"] = concept(system, code, display, text)
        if date:
            p["performedDateTime"] = date
        if body_site:
            p["bodySite"] = [concept(*body_site)]
        return p

    def immunization(
        self, code: str, display: str | None = None, *, date: str, status: str = "completed"
    ) -> Json:
        i = self._new("Immunization", "imm", subject_key="patient")
        i["status"] = status
        i["vaccineCode"] = concept(CVX, code, display)
        i["occurrenceDateTime"] = date
        return i

    def allergy(
        self,
        system: str | None,
        code: str | None,
        display: str | None = None,
        *,
        text: str | None = None,
        criticality: str | None = None,
        severity: str | None = None,
        recorded: str | None = None,
    ) -> Json:
        a = self._new("AllergyIntolerance", "alg", subject_key="patient")
        a["clinicalStatus"] = concept(
            "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active"
        )
        a["verificationStatus"] = concept(
            "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "confirmed"
        )
        a["code"] = concept(system, code, display, text)
        if criticality:
            a["criticality"] = criticality
        if severity:
            a["reaction"] = [{"severity": severity, "manifestation": [concept(None, None, text="reaction")]}]
        if recorded:
            a["recordedDate"] = recorded
        return a


def _dosage(dose: tuple[float | int, str] | None, per_day: int, route: str | None) -> Json:
    d: Json = {"timing": {"repeat": {"frequency": per_day, "period": 1, "periodUnit": "d"}}}
    if dose is not None:
        d["doseAndRate"] = [{"doseQuantity": quantity(dose[0], dose[1])}]
    if route:
        code, display = ROUTES.get(route, (None, route))
        d["route"] = concept(SNOMED if code else None, code, display, text=route)
    return d


# Common routes (SNOMED CT route concepts); other routes are written as text.
ROUTES = {
    "oral": ("26643006", "Oral route"),
    "intravenous": ("47625008", "Intravenous route"),
    "subcutaneous": ("34206005", "Subcutaneous route"),
    "topical": ("6064005", "Topical route"),
    "intramuscular": ("78421000", "Intramuscular route"),
}


def _reason(resource: Json, reason: tuple[str, str, str] | None, text: str | None) -> None:
    if reason is not None or text:
        resource["reasonCode"] = [concept(*reason, text=text) if reason else {"text": text}]
