"""fhir_mappings/Immunizations.cql (vaccines by value set or keyword, in a window) and Allergies.cql
(allergy records by substance, by code or ingredient name, and by severity)."""

from __future__ import annotations

from typing import Any

from protocols.support import AS_OF, mapping_value

from cds.fhir.builder import RXNORM, SNOMED, PatientBuilder, ago


def value(expression: str, p: PatientBuilder) -> Any:
    return mapping_value(expression, p, ["Immunizations", "Allergies", "Records"])


def patient() -> PatientBuilder:
    return PatientBuilder("imm-1", birth_date="1980-01-01", gender="female")


# ------------------------------------------------------------------------------------ vaccines
def test_a_live_vaccine_is_found_by_its_cvx_code() -> None:
    p = patient()
    p.immunization("19", "BCG", date=ago(AS_OF, days=3))
    assert value('Immunizations.Recorded("cvx-live") I return Immunizations.Label(I)', p) == ["BCG"]


def test_a_live_vaccine_with_an_unlisted_code_is_found_by_the_word_live() -> None:
    p = patient()
    p.immunization("999", "Zoster vaccine live", date=ago(AS_OF, days=3))
    p.immunization("140", "Influenza, injectable", date=ago(AS_OF, days=3))
    assert value('Immunizations.Recorded("cvx-live") I return Immunizations.Label(I)', p) == [
        "Zoster vaccine live"
    ]


def test_a_vaccine_not_given_is_not_usable() -> None:
    p = patient()
    p.immunization("03", "MMR", date=ago(AS_OF, days=3), status="not-done")
    assert value('Immunizations.Recorded("cvx-live")', p) == []


def test_the_window_includes_its_first_day_and_not_the_day_before() -> None:
    p = patient()
    p.immunization("03", "MMR", date=ago(AS_OF, months=1))
    p.immunization("21", "varicella", date=ago(AS_OF, months=1, days=1))
    found = value(
        'Immunizations.InWindow(Immunizations.Recorded("cvx-live"), Records.LastMonths(1)) I return Immunizations.Label(I)',
        p,
    )
    assert found == ["MMR"]


def test_the_exclusion_evidence_gives_the_date_given() -> None:
    p = patient()
    p.immunization("03", "MMR", date=ago(AS_OF, days=3))
    result = value(
        "Immunizations.ExcludingIn(Immunizations.Recorded(\"cvx-live\"), Records.LastMonths(1), 'live vaccine')",
        p,
    )
    assert result["status"] == "fail"
    assert result["evidence"][0]["display"] == "MMR, given 2026-10-29"


# ------------------------------------------------------------------------------------ allergies
def substances(vs: str, p: PatientBuilder) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = value(
        f'Allergies.ToSubstance("{vs}") X return Allergies.Evidence(X.allergy, X.byName)', p
    )
    return found


def test_an_allergy_coded_with_the_ingredient_matches_without_saying_by_name() -> None:
    p = patient()
    p.allergy(RXNORM, "3002", "cyclophosphamide")
    assert [e["display"] for e in substances("med-cyc", p)] == ["allergy or intolerance: cyclophosphamide"]


def test_an_allergy_named_by_a_brand_in_text_matches_and_says_by_name() -> None:
    p = patient()
    p.allergy(None, None, text="Endoxan")
    assert substances("med-cyc", p)[0]["display"].endswith("matched by name")


def test_an_allergy_to_something_else_does_not_match() -> None:
    p = patient()
    p.allergy(None, None, text="Latex")
    assert substances("med-cyc", p) == []


def test_severe_means_high_criticality_a_severe_reaction_or_anaphylaxis() -> None:
    p = patient()
    p.allergy(None, None, text="Penicillin", criticality="high")
    p.allergy(None, None, text="Shellfish", severity="severe")
    anaphylaxis = p.allergy(None, None, text="Bee venom")
    anaphylaxis["reaction"] = [{"manifestation": [{"coding": [{"system": SNOMED, "code": "39579001"}]}]}]
    p.allergy(None, None, text="Dust", criticality="low", severity="mild")
    assert value("Allergies.Severe A return Allergies.Label(A)", p) == [
        "Penicillin",
        "Shellfish",
        "Bee venom",
    ]


def test_allergy_evidence_lists_criticality_severity_and_manifestations() -> None:
    p = patient()
    p.allergy(None, None, text="Peanut", criticality="high", severity="severe")
    display = value("Allergies.Evidence(First(Allergies.Severe), false).display", p)
    assert display == "allergy or intolerance: Peanut (criticality high; severity severe; reaction)"
