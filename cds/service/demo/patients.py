"""The demo patients: FHIR collection Bundles in one folder (`data/demo-patients/*.json`), read once at
start-up and kept in memory, grouped by patient and by resource type, for the demo FHIR facade, the
patient list of the demo page and the review page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ...fhir.reader import read_patients

Resource = dict[str, Any]
# A diagnosis that no longer counts for the problem list (FHIR condition-clinical / -ver-status codes).
_INACTIVE_CLINICAL = frozenset({"inactive", "remission", "resolved"})
_NOT_A_DIAGNOSIS = frozenset({"refuted", "entered-in-error"})
MAX_DIAGNOSES = 3


@dataclass(frozen=True, slots=True)
class PatientSummary:
    """One line of the demo page's patient list."""

    id: str
    name: str
    age: int | None
    sex: str | None
    diagnoses: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "age": self.age,
            "sex": self.sex,
            "diagnoses": list(self.diagnoses),
        }


@dataclass(frozen=True)
class DemoPatients:
    """Each demo patient's resources, by patient id and then by resource type."""

    by_patient: Mapping[str, Mapping[str, tuple[Resource, ...]]]

    def ids(self) -> list[str]:
        return sorted(self.by_patient)

    def patient(self, patient_id: str) -> Resource | None:
        found = self.resources(patient_id, "Patient")
        return found[0] if found else None

    def resources(self, patient_id: str, resource_type: str) -> tuple[Resource, ...]:
        return self.by_patient.get(patient_id, {}).get(resource_type, ())

    def all_resources(self, patient_id: str) -> list[Resource]:
        return [r for group in self.by_patient.get(patient_id, {}).values() for r in group]

    def summaries(self, today: dt.date) -> list[PatientSummary]:
        """The patient list, by name."""
        out = [summarize(patient_id, self.all_resources(patient_id), today) for patient_id in self.ids()]
        return sorted(out, key=lambda s: (s.name.casefold(), s.id))


def load_demo_patients(folder: Path) -> DemoPatients:
    """Every `*.json` of `folder`; a file that is not FHIR JSON raises DataError naming it.

    Resources that belong to no patient are left out (the reader logs them); a patient whose
    bundle lacks the Patient resource itself is left out too: nothing could be shown for it.
    """
    grouped = read_patients(sorted(folder.glob("*.json")))
    by_patient: dict[str, Mapping[str, tuple[Resource, ...]]] = {}
    for patient_id, data in grouped.items():
        by_type = _by_type(data.resources)
        if "Patient" in by_type:
            by_patient[patient_id] = by_type
    return DemoPatients(MappingProxyType(by_patient))


def _by_type(resources: Iterable[Resource]) -> Mapping[str, tuple[Resource, ...]]:
    groups: dict[str, list[Resource]] = {}
    for resource in resources:
        groups.setdefault(str(resource["resourceType"]), []).append(resource)
    return MappingProxyType({rtype: tuple(group) for rtype, group in groups.items()})


# ------------------------------------------------------------------------------- summaries
def summarize(patient_id: str, resources: list[Resource], today: dt.date) -> PatientSummary:
    patient = next((r for r in resources if r.get("resourceType") == "Patient"), {})
    gender = patient.get("gender")
    return PatientSummary(
        id=patient_id,
        name=display_name(patient) or patient_id,
        age=age_in_years(patient.get("birthDate"), today),
        sex=gender if isinstance(gender, str) and gender else None,
        diagnoses=main_diagnoses(r for r in resources if r.get("resourceType") == "Condition"),
    )


def display_name(patient: Mapping[str, Any]) -> str | None:
    """The official (else the first) name as a person reads it: given names, then family.

    >>> display_name({"name": [{"use": "old", "family": "Roe"}, {"use": "official", "family": "Doe", "given": ["Jane", "A."]}]})
    'Jane A. Doe'
    >>> display_name({"name": [{"text": "Dr. Ann Lee"}]})
    'Dr. Ann Lee'
    """
    names = [n for n in patient.get("name") or () if isinstance(n, dict)]
    if not names:
        return None
    chosen = next((n for n in names if n.get("use") == "official"), names[0])
    if isinstance(chosen.get("text"), str) and chosen["text"].strip():
        return str(chosen["text"]).strip()
    parts = [str(g) for g in chosen.get("given") or () if g] + (
        [str(chosen["family"])] if chosen.get("family") else []
    )
    return " ".join(parts) or None


def age_in_years(birth_date: Any, today: dt.date) -> int | None:
    """Completed years at `today`; a partial birthDate counts from its latest possible day.

    >>> age_in_years("1980-06-15", dt.date(2026, 6, 14)), age_in_years("1980-06-15", dt.date(2026, 6, 15))
    (45, 46)
    >>> age_in_years("1980", dt.date(2026, 6, 15)), age_in_years("bad", dt.date(2026, 6, 15))
    (45, None)
    """
    if not isinstance(birth_date, str):
        return None
    born = _latest_possible_day(birth_date)
    if born is None or born > today:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _latest_possible_day(birth_date: str) -> dt.date | None:
    parts = birth_date[:10].split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 12
        day = int(parts[2]) if len(parts) > 2 else _last_day(year, month)
        return dt.date(year, month, day)
    except (ValueError, IndexError):
        return None


def _last_day(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


def main_diagnoses(conditions: Iterable[Resource]) -> tuple[str, ...]:
    """Up to three current diagnoses: problem-list entries first, then the longest standing."""
    current = [c for c in conditions if _is_current(c)]
    current.sort(key=lambda c: (not _on_problem_list(c), _onset(c)))
    labels: list[str] = []
    for condition in current:
        label = concept_label(condition.get("code"))
        if label and label.casefold() not in {seen.casefold() for seen in labels}:
            labels.append(label)
        if len(labels) == MAX_DIAGNOSES:
            break
    return tuple(labels)


def concept_label(concept: Any) -> str | None:
    """A CodeableConcept as words: its text, else the first coding's display, else its code."""
    if not isinstance(concept, dict):
        return None
    if isinstance(concept.get("text"), str) and concept["text"].strip():
        return str(concept["text"]).strip()
    for coding in concept.get("coding") or ():
        if isinstance(coding, dict):
            shown = coding.get("display") or coding.get("code")
            if isinstance(shown, str) and shown.strip():
                return shown.strip()
    return None


def _codes(concept: Any) -> set[str]:
    if not isinstance(concept, dict):
        return set()
    return {str(c.get("code")) for c in concept.get("coding") or () if isinstance(c, dict)}


def _is_current(condition: Resource) -> bool:
    return not (
        _codes(condition.get("clinicalStatus")) & _INACTIVE_CLINICAL
        or _codes(condition.get("verificationStatus")) & _NOT_A_DIAGNOSIS
    )


def _on_problem_list(condition: Resource) -> bool:
    return any("problem-list-item" in _codes(category) for category in condition.get("category") or ())


def _onset(condition: Resource) -> str:
    # ISO dates sort as text; undated diagnoses go last.
    for key in ("onsetDateTime", "recordedDate"):
        if isinstance(condition.get(key), str):
            return str(condition[key])
    period = condition.get("onsetPeriod")
    if isinstance(period, dict) and isinstance(period.get("start"), str):
        return str(period["start"])
    return "9999"
