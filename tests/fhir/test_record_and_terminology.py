"""The indexed patient record and the value-set terminology."""

from __future__ import annotations

from cds.content import content_dir
from cds.cql.runtime import RetrieveRequest
from cds.cql.values.code import Code, ValueSetRef
from cds.fhir.builder import ICD10CM, LOINC, SNOMED, PatientBuilder
from cds.fhir.record import PatientRecord
from cds.fhir.terminology import ValueSetLibrary, normalize

VS = "https://trialcds.org/fhir/ValueSet/"


def library() -> ValueSetLibrary:
    mappings = content_dir("fhir_mappings")
    return ValueSetLibrary.load(mappings / "valuesets", mappings / "conceptmaps")


def test_icd10cm_matches_with_or_without_the_dot() -> None:
    assert normalize(ICD10CM, "m32.14") == normalize(ICD10CM, "M3214")
    terms = library()
    assert terms.in_valueset(Code("M32.14", ICD10CM), ValueSetRef(VS + "dx-sle"))
    assert terms.in_valueset(Code("M3214", ICD10CM), ValueSetRef(VS + "dx-sle"))


def test_isa_filters_match_by_prefix() -> None:
    terms = library()
    # dx-ca includes ICD-10-CM C00-C96 by is-a filters; C34.90 is lung cancer, unspecified.
    assert terms.in_valueset(Code("C34.90", ICD10CM), ValueSetRef(VS + "dx-ca"))
    assert not terms.in_valueset(Code("J84.10", ICD10CM), ValueSetRef(VS + "dx-ca"))


def test_unknown_value_set_is_unknown_not_false() -> None:
    assert library().in_valueset(Code("x", SNOMED), ValueSetRef(VS + "no-such-set")) is None


def test_site_concept_map_translates_local_codes() -> None:
    terms = library()
    local = [
        (s, c) for (s, c), targets in terms.translations.items() if any("sledai" in t[1] for t in targets)
    ]
    assert local, "the example ConceptMap maps a local SLEDAI code"
    system, code = local[0]
    assert terms.in_valueset(Code(code, system), ValueSetRef(VS + "sc-sledai"))


def test_value_sets_carry_keywords_and_ingredient_names() -> None:
    terms = library()
    du = terms.entry(VS + "dx-du")
    assert du is not None and "finger" in du.keywords
    gc = terms.entry("med-gc")
    assert gc is not None and "prednisone" in gc.ingredient_names


def test_code_filtered_retrieve_reads_the_index() -> None:
    p = PatientBuilder("r1")
    sle = p.condition(SNOMED, "55464009", "SLE")
    p.condition(SNOMED, "38341003", "Hypertension")
    p.observation(LOINC, "718-7", value=12, unit="g/dL")
    record = PatientRecord(p.resources)
    found = record.retrieve(
        RetrieveRequest("Condition", "code", "in", valueset=ValueSetRef(VS + "dx-sle")), library()
    )
    assert [r.data["id"] for r in found] == [sle["id"]]
    by_code = record.retrieve(
        RetrieveRequest("Observation", "code", "~", codes=(Code("718-7", LOINC),)), library()
    )
    assert len(by_code) == 1
    assert len(record.retrieve(RetrieveRequest("Condition"), library())) == 2


def test_value_set_retrieve_gives_the_same_with_any_terminology() -> None:
    # A ValueSetLibrary tests the record's normalized index keys directly; any other terminology is
    # asked with a Code. Both read the same resources.
    from cds.cql.runtime import NoTerminology

    class CodesOnly:
        def __init__(self, inner: ValueSetLibrary) -> None:
            self.inner = inner

        def in_valueset(self, code: Code, valueset: ValueSetRef) -> bool | None:
            return self.inner.in_valueset(code, valueset)

        def expand(self, valueset: ValueSetRef) -> list[Code]:
            return []

        def in_codesystem(self, code: Code, codesystem: object) -> bool | None:
            return None

    p = PatientBuilder("r2")
    p.condition(ICD10CM, "M32.14", "SLE nephritis")
    p.condition(SNOMED, "55464009", "SLE")
    p.condition(SNOMED, "38341003", "Hypertension")
    record = PatientRecord(p.resources)
    request = RetrieveRequest("Condition", "code", "in", valueset=ValueSetRef(VS + "dx-sle"))
    direct = record.retrieve(request, library())
    assert len(direct) == 2
    assert list(PatientRecord(p.resources).retrieve(request, CodesOnly(library()))) == list(direct)
    assert record.retrieve(request, NoTerminology()) == []
    assert library().key_in_valueset(normalize(ICD10CM, "m32.14"), ValueSetRef(VS + "dx-sle")) is True


def test_code_retrieves_keep_record_order_and_list_a_resource_once() -> None:
    p = PatientBuilder("r3")
    first = p.observation(LOINC, "718-7", value=12, unit="g/dL")
    p.observation(LOINC, "777-3", value=200, unit="10*3/uL")
    both = p.observation(LOINC, "718-7", value=13, unit="g/dL")
    both["code"]["coding"].append({"system": LOINC, "code": "777-3"})
    last = p.observation(LOINC, "718-7", value=14, unit="g/dL")
    record = PatientRecord(p.resources)

    def ids(*codes: Code) -> list[str]:
        found = record.retrieve(RetrieveRequest("Observation", "code", "~", codes=codes), library())
        return [r.data["id"] for r in found]

    hb, plt = Code("718-7", LOINC), Code("777-3", LOINC)
    assert ids(hb) == [first["id"], both["id"], last["id"]]
    assert ids(hb, hb) == ids(hb)
    assert ids(plt, hb) == [r["id"] for r in p.resources if r["resourceType"] == "Observation"]
    assert ids(Code("718-7")) == ids(hb)  # no system: any system's code
    assert ids(Code("nope", LOINC)) == []
    # A retrieve's list is the caller's own: changing it leaves the record as it was.
    found = record.retrieve(RetrieveRequest("Observation", "code", "~", codes=(hb,)), library())
    assert isinstance(found, list)
    found.clear()
    assert len(ids(hb)) == 3


def test_a_resource_naming_the_same_code_twice_is_listed_once() -> None:
    p = PatientBuilder("r4")
    twice = p.observation(LOINC, "718-7", value=12, unit="g/dL")
    twice["code"]["coding"].append({"system": LOINC, "code": "718-7", "display": "again"})
    record = PatientRecord(p.resources)
    request = RetrieveRequest("Observation", "code", "~", codes=(Code("718-7", LOINC),))
    assert [r.data["id"] for r in record.retrieve(request, library())] == [twice["id"]]
