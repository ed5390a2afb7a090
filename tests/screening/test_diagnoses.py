"""Candidates are patients with a Condition coded from a protocol's screening diagnosis value sets."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from cds.content import content_dir
from cds.eligibility.protocol import ProtocolError, load_protocol
from cds.eligibility.runner import Screener
from cds.fhir.builder import ICD10CM, SNOMED
from cds.fhir.terminology import ValueSetLibrary
from cds.screening import ScreeningError, candidate_rules, search_queries
from cds.screening.diagnoses import CandidateRule

from .support import SSC_SNOMED, TOY_YAML, write_protocols

MAPPINGS = content_dir("fhir_mappings")
SITE_SYSTEM = "http://example.org/site-codes"


def _terminology(*concept_maps: dict[str, object]) -> ValueSetLibrary:
    base = ValueSetLibrary.load(MAPPINGS / "valuesets")
    return ValueSetLibrary(base.by_url.values(), concept_maps)


def _condition(system: str, code: str, patient: str = "p1") -> dict[str, object]:
    return {
        "resourceType": "Condition",
        "subject": {"reference": f"Patient/{patient}"},
        "code": {"coding": [{"system": system, "code": code}]},
    }


def test_the_search_codes_are_the_diagnosis_value_set_expansion(screener: Screener) -> None:
    (rule,) = candidate_rules([screener.protocols[0].spec], _terminology())
    expansion = _terminology().entry("dx-ssc")
    assert expansion is not None
    assert sorted(rule.search_codes) == sorted((c.system, c.code) for c in expansion.expansion)
    assert (ICD10CM, "M34.0") in rule.search_codes and (ICD10CM, "M340") in rule.search_codes


def test_a_site_code_a_concept_map_maps_onto_a_diagnosis_code_is_searched_too(screener: Screener) -> None:
    concept_map = {
        "resourceType": "ConceptMap",
        "group": [
            {
                "source": SITE_SYSTEM,
                "target": SNOMED,
                "element": [
                    {"code": "SCLERO", "target": [{"code": SSC_SNOMED, "equivalence": "equivalent"}]}
                ],
            }
        ],
    }
    (rule,) = candidate_rules([screener.protocols[0].spec], _terminology(concept_map))
    assert (SITE_SYSTEM, "SCLERO") in rule.search_codes
    assert rule.matches(_condition(SITE_SYSTEM, "SCLERO"))


def test_an_undotted_icd10_code_matches_like_the_dotted_one(screener: Screener) -> None:
    (rule,) = candidate_rules([screener.protocols[0].spec], _terminology())
    assert rule.matches(_condition(ICD10CM, "M34.0")) and rule.matches(_condition(ICD10CM, "m340"))


def test_a_condition_outside_the_value_sets_does_not_make_a_candidate(screener: Screener) -> None:
    (rule,) = candidate_rules([screener.protocols[0].spec], _terminology())
    assert not rule.matches(_condition(SNOMED, "38341003"))
    assert not rule.matches({"resourceType": "Condition", "code": {"text": "systemic sclerosis"}})


def test_a_protocol_without_screening_diagnoses_has_every_patient_as_candidate(two_trials: Screener) -> None:
    rules = {r.protocol: r for r in candidate_rules([p.spec for p in two_trials.protocols], _terminology())}
    assert rules["open"].everyone and not rules["toy"].everyone


def test_an_unknown_screening_value_set_is_named_in_the_error(screener: Screener) -> None:
    spec = dataclasses.replace(screener.protocols[0].spec, screening_diagnoses=("dx-nothing",))
    with pytest.raises(ScreeningError, match="dx-nothing does not exist"):
        candidate_rules([spec], _terminology())


def test_searches_carry_at_most_forty_codes_each() -> None:
    codes = tuple((SNOMED, str(n)) for n in range(85))
    queries = search_queries(CandidateRule("t", ("dx-x",), codes, frozenset()))
    assert [q.split("=", 1)[1].split("&")[0].count(",") + 1 for q in queries] == [40, 40, 5]
    assert all(q.startswith("Condition?code=") and q.endswith("&_elements=subject,code") for q in queries)


def test_the_screening_key_of_protocol_yaml_lists_value_set_ids(tmp_path: Path) -> None:
    folder = write_protocols(tmp_path) / "toy"
    assert load_protocol(folder).screening_diagnoses == ("dx-ssc",)


def test_a_screening_key_that_is_not_a_list_of_ids_is_refused(tmp_path: Path) -> None:
    folder = write_protocols(tmp_path) / "toy"
    (folder / "protocol.yaml").write_text(TOY_YAML.replace("[dx-ssc]", "dx-ssc"), encoding="utf-8")
    with pytest.raises(ProtocolError, match=r"screening\.diagnoses"):
        load_protocol(folder)
