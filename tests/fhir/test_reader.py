"""Reading FHIR files: Bundles, single resources, NDJSON, grouping by patient, bad input."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from cds.fhir.builder import LOINC, PatientBuilder
from cds.fhir.errors import DataError
from cds.fhir.jsontext import dumps
from cds.fhir.reader import Skipped, read_file, read_patients


def write(path: Path, doc: object) -> Path:
    path.write_text(dumps(doc))
    return path


def test_bundle_entries_are_grouped_by_patient(tmp_path: Path) -> None:
    a, b = PatientBuilder("a"), PatientBuilder("b")
    a.observation(LOINC, "718-7", value=12, unit="g/dL", date="2026-01-01")
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": a.bundle()["entry"] + b.bundle()["entry"],
    }
    patients = read_patients([write(tmp_path / "x.json", bundle)])
    assert sorted(patients) == ["a", "b"]
    assert len(patients["a"].resources) == 2


def test_numbers_are_read_as_exact_decimals(tmp_path: Path) -> None:
    path = tmp_path / "o.json"
    path.write_text(
        '{"resourceType": "Observation", "id": "o", "subject": {"reference": "Patient/p"},'
        ' "valueQuantity": {"value": 0.1}}'
    )
    (resource,) = list(read_file(path))
    assert resource["valueQuantity"]["value"] == Decimal("0.1")


def test_ndjson_bulk_export_files_are_read(tmp_path: Path) -> None:
    p = PatientBuilder("n1")
    p.observation(LOINC, "718-7", value=12, unit="g/dL", date="2026-01-01")
    path = tmp_path / "Observation.ndjson"
    path.write_text("\n".join(dumps(r) for r in p.resources) + "\n")
    assert list(read_patients([path])) == ["n1"]


def test_transaction_bundle_urn_references_resolve_to_the_patient(tmp_path: Path) -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {"fullUrl": "urn:uuid:1", "resource": {"resourceType": "Patient", "id": "t1"}},
            {
                "fullUrl": "urn:uuid:2",
                "resource": {"resourceType": "Condition", "id": "c", "subject": {"reference": "urn:uuid:1"}},
            },
        ],
    }
    patients = read_patients([write(tmp_path / "t.json", bundle)])
    assert [r["resourceType"] for r in patients["t1"].resources] == ["Patient", "Condition"]


def test_invalid_json_names_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"resourceType": "Bundle",\n "entry": [}')
    with pytest.raises(DataError, match=r"bad.json:2:12: not valid JSON"):
        list(read_file(path))


@pytest.mark.parametrize("suffix", [".json", ".ndjson"])
def test_nesting_deeper_than_the_parser_goes_is_bad_input_not_a_crash(tmp_path: Path, suffix: str) -> None:
    # Regression: Python's json raised RecursionError, which `trialcds evaluate` reported as an
    # internal error (exit 1) instead of naming the file (exit 2).
    path = tmp_path / f"deep{suffix}"
    path.write_text('{"resourceType": "Bundle", "entry": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    with pytest.raises(DataError, match=rf"deep{suffix}(:1)?: not valid JSON \(nested too deeply\)"):
        list(read_file(path))


def test_a_file_that_is_not_fhir_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="not a FHIR resource"):
        list(read_file(write(tmp_path / "n.json", {"hello": 1})))


def test_a_malformed_resource_is_skipped_and_named_not_fatal(tmp_path: Path) -> None:
    p = PatientBuilder("s1")
    bad = p.observation(LOINC, "718-7", value=12, unit="g/dL", date="2026-13-45")
    skipped: list[Skipped] = []
    patients = read_patients([write(tmp_path / "s.json", p.bundle())], skipped)
    assert len(patients["s1"].resources) == 1
    assert skipped[0].resource == f"Observation/{bad['id']}"
    assert skipped[0].reason.startswith("effectiveDateTime is not a valid dateTime")


def test_a_resource_without_a_patient_is_reported(tmp_path: Path) -> None:
    skipped: list[Skipped] = []
    read_patients([write(tmp_path / "o.json", {"resourceType": "Observation", "id": "lonely"})], skipped)
    assert skipped[0].reason == "belongs to no patient (no Patient reference)"


def test_full_validation_is_opt_in_and_names_the_problem(tmp_path: Path) -> None:
    obs = {
        "resourceType": "Observation",
        "id": "o1",
        "subject": {"reference": "Patient/v"},
        "code": {"text": "x"},
        "status": "final",
        "performer": [{"display": 5}],
    }
    skipped: list[Skipped] = []
    assert "v" in read_patients([write(tmp_path / "v.json", obs)], skipped)
    read_patients([write(tmp_path / "v.json", obs)], skipped, validate=True)
    assert skipped and "performer" in skipped[0].reason


def test_r4_content_that_r4b_lacks_is_not_rejected(tmp_path: Path) -> None:
    # MedicinalProduct is an R4 resource that R4B removed: it is kept, unvalidated.
    resource = {"resourceType": "MedicinalProduct", "id": "mp", "subject": {"reference": "Patient/r"}}
    skipped: list[Skipped] = []
    read_patients([write(tmp_path / "r.json", resource)], skipped, validate=True)
    assert skipped == []
