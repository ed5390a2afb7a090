"""The terminology content under fhir_mappings/ is valid FHIR, complete, sourced and self-consistent."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.conceptmap import ConceptMap
from fhir.resources.R4B.valueset import ValueSet

ROOT = Path(__file__).resolve().parents[2]
MAPPINGS = ROOT / "fhir_mappings"
VALUESET_FILES = sorted((MAPPINGS / "valuesets").glob("*.json"))
BASE = "https://trialcds.org/fhir"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
EXT_SOURCE = f"{BASE}/StructureDefinition/code-source"
EXT_INGREDIENT = f"{BASE}/StructureDefinition/ingredient-name"
EXT_KEYWORD = f"{BASE}/StructureDefinition/text-keyword"
EXT_KEYWORD_SCOPE = f"{BASE}/StructureDefinition/text-keyword-scope"
LOCAL = f"{BASE}/CodeSystem/disease-activity"


def words(text: str) -> list[str]:
    return text.split()


# Every group id in TERMINOLOGY.md's criterion and code tables (sections 2-3), lower-cased; the
# shorthand "LAB-PLT / WBC" is spelled out. Lab groups split further (lab-fvc-pct-predicted ...)
# and implicit groups (smoking, live vaccines, menopause ...) come on top of these.
TERMINOLOGY_GROUPS = words("""
dx-ssc dx-du dx-om dx-sle dx-ln dx-neph dx-gpa dx-mpa dx-egpa dx-dm dx-pm dx-imnm dx-ibm dx-ild dx-ph
dx-hbv dx-hcv dx-hiv dx-syph dx-tb dx-ca dx-pcnsl dx-hf dx-mi dx-ua dx-arr dx-stroke dx-ra dx-tak dx-beh
dx-hsp dx-cryo dx-gbm dx-ttp dx-pleff dx-pceff dx-preg
pr-hsct pr-cart pr-ktx pr-dial pr-plex pr-o2 pr-vent pr-ster pr-symp pr-debr pr-botox
lab-hb lab-anc lab-plt lab-wbc lab-creat lab-crcl lab-alt lab-ast lab-tbil lab-spo2 lab-lvef lab-hcg
lab-ana lab-dsdna lab-pr3 lab-mpo lab-ck lab-ald lab-ldh lab-fvc lab-dlco lab-pap lab-wt lab-ht lab-igra
lab-inf sc-sledai sc-bvas sc-mmt8 sc-vas sc-haq sc-mrss
med-statin med-ccb med-acei med-arb med-nitr med-alpha med-vaso med-pde5 med-era med-pgi2 med-nac
med-lmwh med-botox med-j01 med-j02 med-j05 med-gc med-is med-cyc med-bio med-am med-flu
""")
IMPLICIT_GROUPS = words("""
dx-ssc-diffuse dx-ssc-limited dx-menopause dx-ssti dx-ca-carveout cvx-live obs-smoking-status
ans-smoking-current ans-smoking-former ans-smoking-never sc-nyha sc-nyha-class sc-ssc-2013
sc-iim-probability rs-prophylaxis pr-hsct-autologous
""")
TERMINOLOGY_LOCAL_CODES = words("""
sledai-2k mrss bvas-v3 bvas-v3-major bvas-v3-minor mmt-8 imacs-patient-global imacs-physician-global
imacs-extramuscular ssc-acr-eular-2013 iim-eular-acr-2017-probability
""")


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


VALUESETS: dict[str, dict[str, Any]] = {path.stem: load(path) for path in VALUESET_FILES}


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_valuesets", ROOT / "scripts" / "build_valuesets.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses resolve string annotations through sys.modules, so register before running it.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def compose_concepts(vs: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (include["system"], concept)
        for include in vs.get("compose", {}).get("include", [])
        for concept in include.get("concept", [])
    ]


def expansion_codes(vs: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c["system"], c["code"]) for c in vs["expansion"].get("contains", [])]


def extension_values(vs: dict[str, Any], url: str) -> list[str]:
    return [
        e.get("valueString") or e.get("valueCanonical") for e in vs.get("extension", []) if e["url"] == url
    ]


def test_there_is_one_valueset_file_per_group_and_nothing_else_in_the_folder() -> None:
    assert len(VALUESET_FILES) > 100
    assert sorted(p.name for p in (MAPPINGS / "valuesets").iterdir()) == [p.name for p in VALUESET_FILES]


@pytest.mark.parametrize("path", VALUESET_FILES, ids=lambda p: p.stem)
def test_valueset_validates_as_fhir_r4(path: Path) -> None:
    resource = ValueSet.model_validate(load(path))
    assert resource.expansion is not None


@pytest.mark.parametrize("group_id", sorted(VALUESETS))
def test_valueset_id_url_name_and_file_name_agree(group_id: str) -> None:
    vs = VALUESETS[group_id]
    assert vs["id"] == group_id == group_id.lower()
    assert vs["url"] == f"{BASE}/ValueSet/{group_id}"
    assert vs["version"] == "0.1.0"
    assert vs["status"] == "active"
    assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", vs["name"])
    assert vs["name"].lower() == group_id.replace("-", "")
    assert vs["title"]


@pytest.mark.parametrize("group_id", TERMINOLOGY_GROUPS + IMPLICIT_GROUPS)
def test_every_group_named_in_terminology_md_has_a_valueset(group_id: str) -> None:
    assert group_id in VALUESETS


@pytest.mark.parametrize("group_id", sorted(VALUESETS))
def test_every_icd10cm_code_appears_dotted_and_undotted(group_id: str) -> None:
    codes = {code for system, code in expansion_codes(VALUESETS[group_id]) if system == ICD10CM}
    for code in codes:
        assert code.replace(".", "") in codes
        if len(code) > 3 and "." not in code:
            assert f"{code[:3]}.{code[3:]}" in codes


@pytest.mark.parametrize("group_id", sorted(VALUESETS))
def test_no_code_appears_twice_in_a_set(group_id: str) -> None:
    vs = VALUESETS[group_id]
    in_expansion = expansion_codes(vs)
    in_compose = [(system, c["code"]) for system, c in compose_concepts(vs)]
    assert len(in_expansion) == len(set(in_expansion))
    assert len(in_compose) == len(set(in_compose))


@pytest.mark.parametrize("group_id", sorted(VALUESETS))
def test_expansion_total_counts_its_contains(group_id: str) -> None:
    expansion = VALUESETS[group_id]["expansion"]
    assert expansion["total"] == len(expansion.get("contains", []))
    assert expansion["timestamp"]


@pytest.mark.parametrize("group_id", sorted(VALUESETS))
def test_every_explicit_compose_code_is_in_the_expansion_with_the_same_display(group_id: str) -> None:
    vs = VALUESETS[group_id]
    expanded = {(c["system"], c["code"]): c["display"] for c in vs["expansion"].get("contains", [])}
    for system, concept in compose_concepts(vs):
        assert expanded[(system, concept["code"])] == concept["display"]
    assert len(expanded) == len(compose_concepts(vs))


@pytest.mark.parametrize("group_id", sorted(VALUESETS))
def test_every_code_names_a_source_that_the_description_explains(group_id: str) -> None:
    vs = VALUESETS[group_id]
    for _, concept in compose_concepts(vs):
        keys = extension_values(concept, EXT_SOURCE)
        assert len(keys) == 1
        assert f"[{keys[0]}]" in vs["description"]


@pytest.mark.parametrize("group_id", sorted(VALUESETS))
def test_unverified_codes_stay_in_the_set_flagged_and_listed_in_the_description(group_id: str) -> None:
    vs = VALUESETS[group_id]
    for _, concept in compose_concepts(vs):
        flags = [d for d in concept.get("designation", []) if d["use"]["code"] == "unverified"]
        if flags:
            assert flags[0]["value"].startswith("unverified: ")
            assert f"{concept['code']} (" in vs["description"]
    flagged_in_expansion = {c["code"] for c in vs["expansion"].get("contains", []) if c.get("designation")}
    flagged_in_compose = {c["code"] for _, c in compose_concepts(vs) if c.get("designation")}
    assert flagged_in_expansion == flagged_in_compose


@pytest.mark.parametrize("group_id", sorted(VALUESETS))
def test_prefix_filters_are_is_a_on_concept_and_said_in_the_description(group_id: str) -> None:
    vs = VALUESETS[group_id]
    for include in vs.get("compose", {}).get("include", []):
        for flt in include.get("filter", []):
            assert (flt["property"], flt["op"]) == ("concept", "is-a")
            assert include["system"] in (ICD10CM, "http://www.whocc.no/atc")
            assert flt["value"] in vs["description"]
    if any("filter" in include for include in vs.get("compose", {}).get("include", [])):
        assert "Matching by code prefix" in vs["description"]


def test_wide_icd_ranges_match_by_prefix_not_by_enumeration() -> None:
    def prefixes(group_id: str) -> set[str]:
        return {
            f["value"]
            for include in VALUESETS[group_id]["compose"]["include"]
            for f in include.get("filter", [])
        }

    assert {"C34", "C44", "C96", "D05", "D09", "Z85"} <= prefixes("dx-ca")
    assert {"O00", "O36", "O80", "O9A"} <= prefixes("dx-preg")
    assert "I50" in prefixes("dx-hf")


@pytest.mark.parametrize("group_id", sorted(g for g in VALUESETS if g.startswith("med-") and g[4] != "j"))
def test_medication_sets_carry_lower_case_ingredient_names(group_id: str) -> None:
    names = extension_values(VALUESETS[group_id], EXT_INGREDIENT)
    assert names
    assert all(name == name.lower() for name in names)


def test_ciclosporin_is_found_under_both_spellings_and_nifedipine_under_its_brand() -> None:
    assert {"ciclosporin", "cyclosporine"} <= set(extension_values(VALUESETS["med-is"], EXT_INGREDIENT))
    assert {"nifedipine", "adalat"} <= set(extension_values(VALUESETS["med-ccb"], EXT_INGREDIENT))


def test_rituximab_belimumab_and_leflunomide_carry_old_and_new_atc_codes() -> None:
    bio = {code for _, code in expansion_codes(VALUESETS["med-bio"])}
    assert {"L01FA01", "L01XC02", "L04AG04", "L04AA26"} <= bio
    assert {"L04AK01", "L04AA13"} <= {code for _, code in expansion_codes(VALUESETS["med-is"])}


def test_digital_ulcer_words_qualify_the_ulcer_codes() -> None:
    du = VALUESETS["dx-du"]
    assert set(extension_values(du, EXT_KEYWORD)) == {"digital", "finger", "fingertip"}
    assert extension_values(du, EXT_KEYWORD_SCOPE) == [f"{BASE}/ValueSet/dx-du"]


def test_limited_cutaneous_ssc_is_m34_1_or_its_words_on_an_ssc_record() -> None:
    limited = VALUESETS["dx-ssc-limited"]
    assert {("M34.1"), ("M341")} == {code for _, code in expansion_codes(limited)}
    assert {"limited", "CREST"} <= set(extension_values(limited, EXT_KEYWORD))
    assert extension_values(VALUESETS["dx-ssc-diffuse"], EXT_KEYWORD_SCOPE) == [f"{BASE}/ValueSet/dx-ssc"]


@pytest.mark.parametrize("group_id", sorted(VALUESETS))
def test_keyword_scopes_point_at_existing_valuesets(group_id: str) -> None:
    for scope in extension_values(VALUESETS[group_id], EXT_KEYWORD_SCOPE):
        assert scope.removeprefix(f"{BASE}/ValueSet/") in VALUESETS


def test_committed_files_are_what_the_generator_builds() -> None:
    built = generator().build_all()
    stale = [
        str(path.relative_to(ROOT))
        for path, text in built.items()
        if path.read_text(encoding="utf-8") != text
    ]
    assert stale == []
    assert {p for p in built if p.parent.name == "valuesets"} == set(VALUESET_FILES)


def test_disease_activity_codesystem_holds_exactly_the_local_codes_of_terminology_md() -> None:
    data = load(MAPPINGS / "codesystems" / "disease-activity.json")
    CodeSystem.model_validate(data)
    assert data["url"] == LOCAL
    assert [c["code"] for c in data["concept"]] == TERMINOLOGY_LOCAL_CODES
    assert data["count"] == len(TERMINOLOGY_LOCAL_CODES)


def test_every_local_code_used_by_a_valueset_is_defined_in_the_codesystem() -> None:
    used = {code for vs in VALUESETS.values() for system, code in expansion_codes(vs) if system == LOCAL}
    assert used == set(TERMINOLOGY_LOCAL_CODES)


def test_haq_and_nyha_use_their_loinc_codes() -> None:
    assert ("http://loinc.org", "75874-8") in expansion_codes(VALUESETS["sc-haq"])
    assert ("http://loinc.org", "88020-3") in expansion_codes(VALUESETS["sc-nyha"])
    assert {code for _, code in expansion_codes(VALUESETS["sc-nyha-class-iii-iv"])} == {
        "420913000",
        "422293003",
    }


def test_site_conceptmap_validates_and_maps_onto_codes_we_define() -> None:
    data = load(MAPPINGS / "conceptmaps" / "site-local-codes.json")
    ConceptMap.model_validate(data)
    known = {(system, code) for vs in VALUESETS.values() for system, code in expansion_codes(vs)}
    for group in data["group"]:
        assert group["source"] == "http://example.org/site-codes"
        for element in group["element"]:
            for target in element["target"]:
                assert (group["target"], target["code"]) in known
    sledai = data["group"][0]["element"][0]["target"][0]
    assert (sledai["code"], sledai["equivalence"]) == ("sledai-2k", "equivalent")


ULN = yaml.safe_load((MAPPINGS / "uln.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "lab_id", ["lab-alt", "lab-ast", "lab-tbil", "lab-creat", "lab-ck", "lab-ald", "lab-ldh"]
)
def test_default_uln_table_has_the_lab_with_value_unit_and_a_source_address(lab_id: str) -> None:
    entry = ULN["labs"][lab_id]
    assert entry["source"].startswith("https://")
    assert entry["limits"]
    for limit in entry["limits"]:
        assert limit["sex"] in ("male", "female", "any")
        assert limit["value"] > 0
        assert limit["unit"] in ("U/L", "umol/L", "mg/dL")


def test_default_uln_keys_are_valueset_ids() -> None:
    assert set(ULN["labs"]) <= set(VALUESETS)


@pytest.mark.parametrize("lab_id", ["lab-creat", "lab-ck"])
def test_creatinine_and_ck_defaults_are_sex_specific(lab_id: str) -> None:
    assert {limit["sex"] for limit in ULN["labs"][lab_id]["limits"]} == {"male", "female"}


GC = yaml.safe_load((MAPPINGS / "glucocorticoid-equivalents.yaml").read_text(encoding="utf-8"))


def test_prednisone_equivalent_factors_are_those_of_criteria_rule_10() -> None:
    factors = {drug["ingredient"]: drug["factor"] for drug in GC["drugs"]}
    assert factors["prednisolone"] == 1
    assert factors["methylprednisolone"] == 1.25
    assert factors["dexamethasone"] == 6.67
    assert factors["hydrocortisone"] == 0.25
    assert factors["betamethasone"] == 8.33
    assert GC["pulse_threshold_mg_per_day"] == 500


def test_glucocorticoid_table_is_keyed_by_codes_of_the_glucocorticoid_valueset() -> None:
    med_gc = {code for _, code in expansion_codes(VALUESETS["med-gc"])}
    for drug in GC["drugs"]:
        assert set(drug["rxnorm"]) | set(drug["atc"]) <= med_gc
