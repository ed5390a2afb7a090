"""Eligibility cards: the referral (a draft ServiceRequest built with fhir.resources), the detail table."""

from __future__ import annotations

from fhir.resources.R4B.servicerequest import ServiceRequest

from cds.cards.eligibility import CardContext, referral
from cds.eligibility.results import CriterionResult, ProtocolResult

RESULT = ProtocolResult(
    protocol="f01",
    nct="NCT06208280",
    title="F01",
    criteria=(CriterionResult("inc-age", "inclusion", "pass", "Aged 18 to 70", (), None),),
    cohort="sle",
    cohort_title="SLE",
)


def test_the_referral_is_a_valid_draft_service_request_for_the_patient_and_trial() -> None:
    request = referral(RESULT, CardContext("https://cds.example.org", "p1", "2026-11-01"))
    assert ServiceRequest.model_validate(request).status == "draft"
    assert request["subject"] == {"reference": "Patient/p1"}
    assert "NCT06208280" in request["code"]["text"]
    assert request["reasonCode"][0]["text"].endswith("as of 2026-11-01")


def test_each_card_gets_its_own_referral_object_even_when_one_is_remembered() -> None:
    # Referrals are remembered per patient, trial and date (building one costs about 0.8 ms); a card
    # that changed its copy must not change the next card's.
    ctx = CardContext("https://cds.example.org", "p1", "2026-11-01")
    first = referral(RESULT, ctx)
    first["subject"]["reference"] = "Patient/someone-else"
    first["note"].clear()
    second = referral(RESULT, ctx)
    assert second["subject"] == {"reference": "Patient/p1"} and second["note"]
    assert referral(RESULT, CardContext("https://cds.example.org", "p2", "2026-11-01"))["subject"] == {
        "reference": "Patient/p2"
    }


def test_the_detail_table_follows_the_result_it_is_written_for() -> None:
    from dataclasses import replace

    from cds.cards.eligibility import detail

    failing = replace(RESULT, criteria=(replace(RESULT.criteria[0], status="fail"),))
    assert detail(RESULT) == detail(replace(RESULT)) and "1 of 1 criteria met" in detail(RESULT)
    assert "0 of 1 criteria met, 1 not met" in detail(failing)
