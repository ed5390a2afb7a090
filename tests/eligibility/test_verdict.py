"""The verdict rule of CRITERIA.md, applied in one place."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from cds.eligibility.results import CriterionResult, Evidence, ProtocolResult, verdict


def test_any_fail_makes_ineligible() -> None:
    assert verdict(["pass", "unknown", "fail", "manual"]) == "ineligible"


def test_unknown_without_fail_makes_possibly_eligible() -> None:
    assert verdict(["pass", "unknown", "manual"]) == "possibly-eligible"


def test_only_pass_and_manual_make_likely_eligible() -> None:
    assert verdict(["pass", "manual", "manual"]) == "likely-eligible"


@given(st.lists(st.sampled_from(["pass", "fail", "unknown", "manual"])))
def test_verdict_never_depends_on_order(statuses: list[str]) -> None:
    assert all(verdict(p) == verdict(statuses) for p in itertools.islice(itertools.permutations(statuses), 5))


def test_result_json_leaves_out_empty_members() -> None:
    manual = CriterionResult("inc-consent", "inclusion", "manual", "Informed consent", (), "consent")
    passed = CriterionResult("inc-age", "inclusion", "pass", "Age", (Evidence("age 40 years"),))
    result = ProtocolResult("a-duse", "NCT04356755", "A-DUSE", (manual, passed))
    doc = result.to_json()
    assert "cohort" not in doc
    assert doc["criteria"][0] == {
        "id": "inc-consent",
        "kind": "inclusion",
        "status": "manual",
        "text": "Informed consent",
        "check": "consent",
    }
    assert doc["criteria"][1]["evidence"] == [{"display": "age 40 years"}]
    assert doc["verdict"] == "likely-eligible"
