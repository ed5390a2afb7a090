"""fhir_mappings/Medications.cql: uses by class (code, ATC prefix, ingredient name), their periods
(CRITERIA.md rule 7), current and recent use, start, dose changes, documented duration (rule 6),
prednisone-equivalent dose (rule 10), route and reasons, evidence and the class-level criteria."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from protocols.support import AS_OF, mapping_value

from cds.cql.values.quantity import Quantity
from cds.fhir.builder import ATC, ICD10CM, LOINC, RXNORM, SNOMED, PatientBuilder, ago

PREDNISONE = (RXNORM, "8640", "prednisone")
METHYLPRED = (RXNORM, "6902", "methylprednisolone")
NIFEDIPINE = (RXNORM, "7417", "nifedipine")
AMLODIPINE = (RXNORM, "17767", "amlodipine")
SILDENAFIL = (RXNORM, "136411", "sildenafil")
METHOTREXATE = (RXNORM, "6851", "methotrexate")
AMOXICLAV = (ATC, "J01CR02", "amoxicillin and beta-lactamase inhibitor")
PREDNISONE_5MG_TABLET = (RXNORM, "312617", "prednisone 5 MG Oral Tablet")


def value(expression: str, p: PatientBuilder, as_of: str = AS_OF) -> Any:
    return mapping_value(expression, p, ["Medications", "Records"], as_of)


def uses(vs: str, p: PatientBuilder, as_of: str = AS_OF) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = value(f'Medications.Uses("{vs}")', p, as_of)
    return found


def refs(expression: str, p: PatientBuilder, as_of: str = AS_OF) -> list[str]:
    return sorted(u["reference"] for u in value(expression, p, as_of))


def evidence(vs: str, p: PatientBuilder) -> list[str]:
    return sorted(
        e["display"] for e in value(f'Medications.Uses("{vs}") U return Medications.Evidence(U)', p)
    )


def bounds(period: Any) -> tuple[str | None, str | None, bool, bool]:
    def text(v: Any) -> str | None:
        return None if v is None else f"{v.year:04d}-{v.month:02d}-{v.day:02d}"

    return text(period.low), text(period.high), period.low_closed, period.high_closed


# ------------------------------------------------------------------------------- matching (rule 7)
def test_rxnorm_ingredient_code_matches_its_class() -> None:
    p = PatientBuilder("m1")
    p.medication(*NIFEDIPINE, start="2026-01-01")
    p.medication(*PREDNISONE, start="2026-01-01")
    assert [u["reference"] for u in uses("med-ccb", p)] == ["MedicationStatement/m1-med1"]
    assert uses("med-ccb", p)[0]["matchedByName"] is False


def test_clinical_drug_code_the_value_set_carries_matches() -> None:
    p = PatientBuilder("m2")
    p.medication(*PREDNISONE_5MG_TABLET, start="2026-01-01")
    assert [u["name"] for u in uses("med-gc", p)] == ["prednisone 5 MG Oral Tablet"]


def test_atc_code_matches_by_the_class_prefix() -> None:
    p = PatientBuilder("m3")
    p.medication_request(*AMOXICLAV, authored="2026-10-20")
    p.medication_request(ATC, "J01.CR02", "amoxicillin, dotted", authored="2026-10-20")
    p.medication_request(ATC, "J02AC01", "fluconazole", authored="2026-10-20")
    assert refs('Medications.Uses("med-j01")', p) == ["MedicationRequest/m3-rx1", "MedicationRequest/m3-rx2"]


def test_ingredient_name_in_the_text_matches_when_no_coding_does() -> None:
    p = PatientBuilder("m4")
    p.medication("http://example.org/local-drugs", "X42", text="Sildenafil 20 mg tablet", start="2026-01-01")
    found = uses("med-pde5", p)
    assert [u["matchedByName"] for u in found] == [True]
    assert evidence("med-pde5", p) == ["Sildenafil 20 mg tablet, since 2026-01-01, matched by name"]


def test_brand_name_in_a_coding_display_matches() -> None:
    p = PatientBuilder("m5")
    p.medication("http://example.org/local-drugs", "A1", "ADALAT retard", start="2026-01-01")
    assert [u["matchedByName"] for u in uses("med-ccb", p)] == [True]


def test_a_name_matches_only_as_a_whole_word() -> None:
    p = PatientBuilder("m6")
    p.medication(None, None, text="NaCl 0.9% infusion", start="2026-01-01")
    p.medication(None, None, text="Mucomyst (acetylcysteine) 600 mg", start="2026-01-01")
    assert [u["name"] for u in uses("med-nac", p)] == ["Mucomyst (acetylcysteine) 600 mg"]


def test_a_coding_of_another_class_with_no_name_of_this_class_does_not_match() -> None:
    p = PatientBuilder("m7")
    p.medication(*AMLODIPINE, start="2026-01-01")
    assert uses("med-statin", p) == []


def test_a_contained_medication_is_matched_by_its_code() -> None:
    p = PatientBuilder("m8")
    s = p.medication(None, None, start="2026-01-01")
    del s["medicationCodeableConcept"]
    s["contained"] = [
        {"resourceType": "Medication", "id": "med", "code": {"coding": [{"system": RXNORM, "code": "6902"}]}}
    ]
    s["medicationReference"] = {"reference": "#med"}
    assert [u["matchedByName"] for u in uses("med-gc", p)] == [False]


def test_a_medication_reference_display_is_matched_by_name() -> None:
    p = PatientBuilder("m9")
    s = p.medication(None, None, start="2026-01-01")
    del s["medicationCodeableConcept"]
    s["medicationReference"] = {"reference": "Medication/elsewhere", "display": "Bosentan 62.5 mg"}
    assert [(u["name"], u["matchedByName"]) for u in uses("med-era", p)] == [("Bosentan 62.5 mg", True)]


def test_not_taken_and_entered_in_error_statements_are_not_usable() -> None:
    p = PatientBuilder("m10")
    for status in ("active", "completed", "not-taken", "entered-in-error", "intended", "stopped"):
        p.medication(*PREDNISONE, start="2026-01-01", status=status)
    assert refs('Medications.Uses("med-gc")', p) == [
        "MedicationStatement/m10-med1",
        "MedicationStatement/m10-med2",
        "MedicationStatement/m10-med5",
        "MedicationStatement/m10-med6",
    ]


def test_cancelled_draft_and_entered_in_error_requests_are_not_usable() -> None:
    p = PatientBuilder("m11")
    for status in ("active", "cancelled", "draft", "entered-in-error", "completed", "stopped"):
        p.medication_request(*PREDNISONE, authored="2026-01-01", status=status)
    assert refs('Medications.Uses("med-gc")', p) == [
        "MedicationRequest/m11-rx1",
        "MedicationRequest/m11-rx5",
        "MedicationRequest/m11-rx6",
    ]


# ------------------------------------------------------------------------------- periods (rule 7)
def test_statement_period_is_its_effective_period() -> None:
    p = PatientBuilder("p1")
    p.medication(*PREDNISONE, start="2026-01-01", end="2026-03-01", status="completed")
    assert bounds(uses("med-gc", p)[0]["period"]) == ("2026-01-01", "2026-03-01", True, True)


def test_active_statement_without_an_end_is_ongoing() -> None:
    p = PatientBuilder("p2")
    p.medication(*PREDNISONE, start="2026-01-01")
    assert bounds(uses("med-gc", p)[0]["period"]) == ("2026-01-01", None, True, True)


def test_stopped_statement_without_an_end_has_an_unknown_end() -> None:
    p = PatientBuilder("p3")
    p.medication(*PREDNISONE, start="2026-01-01", status="stopped")
    assert bounds(uses("med-gc", p)[0]["period"]) == ("2026-01-01", None, True, False)


def test_effective_date_time_of_a_completed_statement_is_one_day() -> None:
    p = PatientBuilder("p4")
    s = p.medication(*PREDNISONE, status="completed")
    s["effectiveDateTime"] = "2026-05-05"
    assert bounds(uses("med-gc", p)[0]["period"]) == ("2026-05-05", "2026-05-05", True, True)


def test_effective_date_time_of_an_active_statement_starts_an_ongoing_use() -> None:
    p = PatientBuilder("p5")
    s = p.medication(*PREDNISONE)
    s["effectiveDateTime"] = "2026-05-05"
    assert bounds(uses("med-gc", p)[0]["period"]) == ("2026-05-05", None, True, True)


def test_request_period_runs_from_authored_on_to_the_validity_end() -> None:
    p = PatientBuilder("p6")
    p.medication_request(*PREDNISONE, authored="2026-02-01", end="2026-05-01")
    assert bounds(uses("med-gc", p)[0]["period"]) == ("2026-02-01", "2026-05-01", True, True)


def test_active_request_without_a_validity_end_is_ongoing() -> None:
    p = PatientBuilder("p7")
    p.medication_request(*PREDNISONE, authored="2026-02-01")
    assert bounds(uses("med-gc", p)[0]["period"]) == ("2026-02-01", None, True, True)


def test_completed_request_without_a_validity_end_has_an_unknown_end() -> None:
    p = PatientBuilder("p8")
    p.medication_request(*PREDNISONE, authored="2026-02-01", status="completed")
    assert bounds(uses("med-gc", p)[0]["period"]) == ("2026-02-01", None, True, False)


def test_a_use_without_start_has_an_unknown_start() -> None:
    p = PatientBuilder("p9")
    p.medication(*PREDNISONE)
    assert bounds(uses("med-gc", p)[0]["period"]) == (None, None, False, True)


# ------------------------------------------------------------------------------ current, in window
def test_current_needs_active_status_and_a_period_holding_the_as_of_date() -> None:
    p = PatientBuilder("c1")
    p.medication(*PREDNISONE, start="2026-01-01")  # ongoing
    p.medication(*PREDNISONE, start="2026-01-01", end=AS_OF)  # ends today
    p.medication(*PREDNISONE, start="2026-01-01", end=ago(AS_OF, days=1))  # ended yesterday
    p.medication(*PREDNISONE, start="2026-01-01", status="completed")  # no longer taken
    p.medication(*PREDNISONE, start=AS_OF)  # starts today
    p.medication_request(*PREDNISONE, authored="2026-10-01", end="2026-12-01")  # valid today
    assert refs('Medications.Current(Medications.Uses("med-gc"))', p) == [
        "MedicationRequest/c1-rx6",
        "MedicationStatement/c1-med1",
        "MedicationStatement/c1-med2",
        "MedicationStatement/c1-med5",
    ]


def test_a_record_that_begins_after_the_as_of_date_is_not_seen() -> None:
    p = PatientBuilder("c7")
    p.medication(*AMLODIPINE, start="2026-01-01", dose=(5, "mg"))
    p.medication(*AMLODIPINE, start="2026-11-02", dose=(10, "mg"))
    assert refs('Medications.Uses("med-ccb")', p) == ["MedicationStatement/c7-med1"]
    assert changed(p, "2026-10-01") is False


def test_an_active_use_without_start_is_current_but_its_start_is_unknown() -> None:
    p = PatientBuilder("c2")
    p.medication(*AMLODIPINE)
    assert refs('Medications.Current(Medications.Uses("med-ccb"))', p) == ["MedicationStatement/c2-med1"]
    assert value('Medications.Started(First(Medications.Uses("med-ccb")))', p) is None


def test_in_last_keeps_uses_whose_period_overlaps_the_window_by_day() -> None:
    p = PatientBuilder("c3")
    p.medication_request(
        *AMOXICLAV, authored=ago(AS_OF, weeks=6), end=ago(AS_OF, weeks=4), status="completed"
    )
    p.medication_request(
        *AMOXICLAV, authored=ago(AS_OF, weeks=6), end=ago(AS_OF, weeks=4, days=1), status="completed"
    )
    p.medication_request(*AMOXICLAV, authored=ago(AS_OF, days=3), status="active")
    window = "Interval[Today() - 4 weeks, Today()]"
    assert refs(f'Medications.InLast(Medications.Uses("med-j01"), {window})', p) == [
        "MedicationRequest/c3-rx1",
        "MedicationRequest/c3-rx3",
    ]


def test_in_last_takes_the_date_windows_of_records() -> None:
    p = PatientBuilder("c4")
    p.medication(*METHYLPRED, start=ago(AS_OF, months=2), end=ago(AS_OF, months=2), status="completed")
    p.medication(*METHYLPRED, start=ago(AS_OF, months=2, days=1), end=ago(AS_OF, months=2, days=1))
    expression = 'Medications.InLast(Medications.Uses("med-gc"), Records.LastMonths(2))'
    assert refs(expression, p) == ["MedicationStatement/c4-med1"]


def test_a_stopped_use_with_unknown_end_that_began_before_the_window_is_not_in_it() -> None:
    p = PatientBuilder("c5")
    p.medication(*AMOXICLAV, start=ago(AS_OF, months=3), status="stopped")
    assert refs('Medications.InLast(Medications.Uses("med-j01"), Records.LastDays(14))', p) == []


def test_started_is_the_start_of_the_record() -> None:
    p = PatientBuilder("c6")
    p.medication_request(*AMLODIPINE, authored="2025-06-15", end="2026-06-15")
    assert value('Medications.Started(First(Medications.Uses("med-ccb")))', p).month == 6


# -------------------------------------------------------------------------------------- daily dose
def daily(p: PatientBuilder, vs: str = "med-gc") -> list[Quantity | None]:
    return [u["dailyDose"] for u in uses(vs, p)]


def test_daily_dose_is_dose_times_administrations_per_day_in_mg() -> None:
    p = PatientBuilder("d1")
    p.medication(*PREDNISONE, start="2026-01-01", dose=(10, "mg"), per_day=2)
    p.medication(*PREDNISONE, start="2026-01-01", dose=(1, "g"))
    p.medication(*PREDNISONE, start="2026-01-01", dose=(500, "ug"))
    assert daily(p) == [
        Quantity(Decimal(20), "mg/d"),
        Quantity(Decimal(1000), "mg/d"),
        Quantity(Decimal("0.5"), "mg/d"),
    ]


def test_a_dose_per_kg_uses_the_latest_body_weight() -> None:
    p = PatientBuilder("d2")
    p.observation(LOINC, "29463-7", "Body weight", value=90, unit="kg", date=ago(AS_OF, months=13))
    p.observation(LOINC, "29463-7", "Body weight", value=70, unit="kg", date=ago(AS_OF, months=1))
    p.medication(*METHYLPRED, start="2026-10-01", dose=(10, "mg/kg"))
    assert daily(p) == [Quantity(Decimal(700), "mg/d")]


def test_a_dose_per_kg_without_a_recent_weight_is_not_computable() -> None:
    p = PatientBuilder("d3")
    p.observation(LOINC, "29463-7", "Body weight", value=90, unit="kg", date=ago(AS_OF, months=13))
    p.medication(*METHYLPRED, start="2026-10-01", dose=(10, "mg/kg"))
    assert daily(p) == [None]


def test_tablets_of_a_clinical_drug_are_counted_with_the_strength_its_name_states() -> None:
    p = PatientBuilder("d4")
    p.medication(*PREDNISONE_5MG_TABLET, start="2026-01-01", dose=(2, "{tablet}"))
    assert daily(p) == [Quantity(Decimal(10), "mg/d")]


def test_tablets_of_an_ingredient_without_strength_are_not_computable() -> None:
    p = PatientBuilder("d5")
    p.medication(*PREDNISONE, start="2026-01-01", dose=(2, "{tablet}"))
    assert daily(p) == [None]


def test_weekly_methotrexate_is_a_seventh_per_day() -> None:
    p = PatientBuilder("d6")
    s = p.medication(*METHOTREXATE, start="2026-01-01", dose=(14, "mg"))
    s["dosage"][0]["timing"] = {"repeat": {"frequency": 1, "period": 1, "periodUnit": "wk"}}
    assert daily(p, "med-is") == [Quantity(Decimal(2), "mg/d")]


def test_a_dosage_given_only_as_text_is_read() -> None:
    p = PatientBuilder("d7")
    s = p.medication(*PREDNISONE, start="2026-01-01")
    s["dosage"] = [{"text": "7.5 mg once daily with breakfast"}]
    assert daily(p) == [Quantity(Decimal("7.5"), "mg/d")]


# ------------------------------------------------------------------------------------ dose changes
def changed(p: PatientBuilder, since: str, vs: str = "med-ccb") -> bool | None:
    result: bool | None = value(f'Medications.DoseChangedSince(Medications.Uses("{vs}"), @{since}T)', p)
    return result


def test_two_statements_with_different_daily_doses_show_a_change_after_the_second_begins() -> None:
    p = PatientBuilder("x1")
    p.medication(*AMLODIPINE, start="2026-01-01", end="2026-10-14", dose=(5, "mg"), status="completed")
    p.medication(*AMLODIPINE, start="2026-10-15", dose=(10, "mg"))
    assert changed(p, "2026-10-01") is True
    assert changed(p, "2026-10-15") is False  # a change on the day itself is not after it


def test_a_renewal_with_the_same_dose_is_no_change() -> None:
    p = PatientBuilder("x2")
    p.medication_request(*AMLODIPINE, authored="2026-07-01", end="2026-09-30", dose=(5, "mg"))
    p.medication_request(*AMLODIPINE, authored="2026-10-01", end="2026-12-31", dose=(5, "mg"))
    assert changed(p, "2026-09-01") is False


def test_one_statement_with_two_dosage_periods_is_two_phases_and_a_change() -> None:
    p = PatientBuilder("x3")
    s = p.medication(*AMLODIPINE, start="2026-01-01", dose=(5, "mg"))
    s["dosage"][0]["timing"]["repeat"]["boundsPeriod"] = {"start": "2026-01-01", "end": "2026-10-19"}
    later = {
        "timing": {
            "repeat": {
                "frequency": 1,
                "period": 1,
                "periodUnit": "d",
                "boundsPeriod": {"start": "2026-10-20"},
            }
        },
        "doseAndRate": [{"doseQuantity": {"value": 10, "unit": "mg", "code": "mg"}}],
    }
    s["dosage"].append(later)
    found = uses("med-ccb", p)
    assert [bounds(u["period"]) for u in found] == [
        ("2026-01-01", "2026-10-19", True, True),
        ("2026-10-20", None, True, True),
    ]
    assert changed(p, "2026-10-01") is True
    assert refs('Medications.Current(Medications.Uses("med-ccb"))', p) == ["MedicationStatement/x3-med1"]
    assert value('Medications.Current(Medications.Uses("med-ccb"))', p)[0]["dailyDose"] == Quantity(
        Decimal(10), "mg/d"
    )
    # Started is the record's start, not the phase's.
    assert value('Medications.Started(Last(Medications.Uses("med-ccb")))', p).month == 1


def test_a_change_before_the_date_does_not_count() -> None:
    p = PatientBuilder("x4")
    p.medication(*AMLODIPINE, start="2026-01-01", end="2026-05-31", dose=(5, "mg"), status="completed")
    p.medication(*AMLODIPINE, start="2026-06-01", dose=(10, "mg"))
    assert changed(p, "2026-10-01") is False


def test_a_new_record_whose_dose_is_unknown_cannot_tell() -> None:
    p = PatientBuilder("x5")
    p.medication(*AMLODIPINE, start="2026-01-01", end="2026-10-14", dose=(5, "mg"), status="completed")
    p.medication(*AMLODIPINE, start="2026-10-15")
    assert changed(p, "2026-10-01") is None


def test_a_single_record_records_no_change() -> None:
    p = PatientBuilder("x6")
    p.medication(*AMLODIPINE, start="2026-10-15")
    assert changed(p, "2026-10-01") is False


def test_doses_of_different_drugs_of_the_class_are_not_compared() -> None:
    p = PatientBuilder("x7")
    p.medication(*AMLODIPINE, start="2026-01-01", dose=(5, "mg"))
    p.medication(*NIFEDIPINE, start="2026-10-15", dose=(30, "mg"))
    assert changed(p, "2026-10-01") is False


def test_a_statement_and_a_clinical_drug_request_of_one_ingredient_are_the_same_drug() -> None:
    p = PatientBuilder("x8")
    p.medication(*PREDNISONE, start="2026-01-01", dose=(5, "mg"))
    p.medication_request(*PREDNISONE_5MG_TABLET, authored="2026-10-20", dose=(4, "{tablet}"))
    assert changed(p, "2026-10-01", "med-gc") is True


# ------------------------------------------------------------------------ documented duration (rule 6)
def documented(p: PatientBuilder, at_least: str, vs: str = "med-ccb") -> bool | None:
    result: bool | None = value(f'Medications.DocumentedFor(Medications.Uses("{vs}"), {at_least})', p)
    return result


def test_treatment_since_exactly_8_weeks_is_documented_for_8_weeks() -> None:
    p = PatientBuilder("t1")
    p.medication(*NIFEDIPINE, start=ago(AS_OF, weeks=8))
    assert documented(p, "8 weeks") is True


def test_treatment_since_one_day_less_than_8_weeks_is_not() -> None:
    p = PatientBuilder("t2")
    p.medication(*NIFEDIPINE, start=ago(AS_OF, weeks=8, days=-1))
    assert documented(p, "8 weeks") is False


def test_no_use_documents_nothing_either_way() -> None:
    assert documented(PatientBuilder("t3"), "8 weeks") is None


def test_months_are_calendar_months_back_from_the_as_of_date() -> None:
    p = PatientBuilder("t4")
    p.medication(*NIFEDIPINE, start=ago(AS_OF, months=3))
    assert documented(p, "3 months") is True
    p2 = PatientBuilder("t5")
    p2.medication(*NIFEDIPINE, start=ago(AS_OF, months=3, days=-1))
    assert documented(p2, "3 months") is False


def test_overlapping_and_adjacent_records_count_once() -> None:
    p = PatientBuilder("t6")
    p.medication(*NIFEDIPINE, start="2025-01-01", end="2025-01-31", status="completed")
    p.medication(*AMLODIPINE, start="2025-01-15", end="2025-02-10", status="completed")
    p.medication(*AMLODIPINE, start="2025-02-11", end="2025-02-26", status="completed")
    assert value('Medications.DocumentedDays(Medications.Uses("med-ccb"))', p) == 56
    assert documented(p, "8 weeks") is True


def test_a_past_treatment_of_3_months_documents_3_months() -> None:
    p = PatientBuilder("t7")
    p.medication(*NIFEDIPINE, start="2025-01-01", end="2025-04-01", status="completed")
    assert documented(p, "3 months") is True


def test_a_validity_end_after_the_as_of_date_counts_only_up_to_it() -> None:
    p = PatientBuilder("t8")
    p.medication_request(*NIFEDIPINE, authored=ago(AS_OF, weeks=4), end="2027-06-01")
    assert value('Medications.DocumentedDays(Medications.Uses("med-ccb"))', p) == 28


def test_a_stopped_use_with_no_end_documents_only_its_first_day() -> None:
    p = PatientBuilder("t9")
    p.medication(*NIFEDIPINE, start="2025-01-01", status="stopped")
    assert value('Medications.DocumentedDays(Medications.Uses("med-ccb"))', p) == 0
    assert documented(p, "8 weeks") is False


# ------------------------------------------------------------------------- prednisone equivalent
def equivalents(p: PatientBuilder) -> list[Quantity | None]:
    found: list[Quantity | None] = value(
        'Medications.Uses("med-gc") U return all Medications.PrednisoneEquivalent(U)', p
    )
    return found


def test_a_500_mg_methylprednisolone_pulse_is_625_mg_prednisone() -> None:
    p = PatientBuilder("g1")
    p.medication_request(*METHYLPRED, authored=ago(AS_OF, weeks=3), dose=(500, "mg"), route="intravenous")
    assert equivalents(p) == [Quantity(Decimal(625), "mg/d")]


def test_each_glucocorticoid_has_its_factor() -> None:
    p = PatientBuilder("g2")
    p.medication(*PREDNISONE, start="2026-01-01", dose=(10, "mg"))
    p.medication(RXNORM, "8638", "prednisolone", start="2026-01-01", dose=(10, "mg"))
    p.medication(RXNORM, "3264", "dexamethasone", start="2026-01-01", dose=(3, "mg"))
    p.medication(RXNORM, "5492", "hydrocortisone", start="2026-01-01", dose=(20, "mg"))
    p.medication(ATC, "H02AB01", "betamethasone", start="2026-01-01", dose=(3, "mg"))
    p.medication(None, None, text="Solu-Medrol 1 g IV", start="2026-01-01", dose=(1, "g"))
    assert equivalents(p) == [
        Quantity(Decimal(10), "mg/d"),
        Quantity(Decimal(10), "mg/d"),
        Quantity(Decimal("20.01"), "mg/d"),
        Quantity(Decimal(5), "mg/d"),
        Quantity(Decimal("24.99"), "mg/d"),
        Quantity(Decimal(1250), "mg/d"),
    ]


def test_tablets_of_the_prednisone_clinical_drug_are_prednisone_mg() -> None:
    p = PatientBuilder("g3")
    p.medication(*PREDNISONE_5MG_TABLET, start="2026-01-01", dose=(3, "{tablet}"))
    assert equivalents(p) == [Quantity(Decimal(15), "mg/d")]


def test_a_glucocorticoid_without_a_dose_has_no_equivalent() -> None:
    p = PatientBuilder("g4")
    p.medication(*PREDNISONE, start="2026-01-01")
    assert equivalents(p) == [None]


def test_a_drug_that_is_not_a_glucocorticoid_has_no_equivalent() -> None:
    p = PatientBuilder("g5")
    p.medication(*AMLODIPINE, start="2026-01-01", dose=(5, "mg"))
    assert value('Medications.PrednisoneEquivalent(First(Medications.Uses("med-ccb")))', p) is None


# ---------------------------------------------------------------------------------- route, reasons
def test_systemic_leaves_out_topical_ophthalmic_and_inhaled_routes() -> None:
    p = PatientBuilder("r1")
    for route in ("oral", "intravenous", "topical", "Ophthalmic use", "Inhalation", "Nasal route"):
        p.medication_request(*AMOXICLAV, authored="2026-10-20", route=route)
    assert refs('Medications.Systemic(Medications.Uses("med-j01"))', p) == [
        "MedicationRequest/r1-rx1",
        "MedicationRequest/r1-rx2",
    ]


def test_a_use_with_no_route_counts_as_systemic_and_its_evidence_says_so() -> None:
    p = PatientBuilder("r2")
    p.medication_request(*AMOXICLAV, authored="2026-10-20")
    found = value(
        'Medications.Systemic(Medications.Uses("med-j01")) U return Medications.SystemicEvidence(U)', p
    )
    assert [e["display"] for e in found] == [
        "amoxicillin and beta-lactamase inhibitor, since 2026-10-20, route not recorded (counted as systemic)"
    ]


def test_a_cream_without_route_is_not_systemic() -> None:
    p = PatientBuilder("r3")
    p.medication(None, None, text="Hydrocortisone 1% cream", start="2026-10-01")
    assert refs('Medications.Systemic(Medications.Uses("med-gc"))', p) == []


def reason_in(p: PatientBuilder, vs: str) -> bool:
    result: bool = value(f'Medications.ReasonIn(First(Medications.Uses("med-j01")), "{vs}")', p)
    return result


def test_a_coded_reason_in_the_value_set() -> None:
    p = PatientBuilder("r4")
    p.medication_request(
        *AMOXICLAV, authored="2026-10-20", reason=(ICD10CM, "L03.011", "Cellulitis of right finger")
    )
    assert reason_in(p, "dx-ssti") is True
    assert reason_in(p, "rs-prophylaxis") is False


def test_a_reason_text_with_a_keyword_of_the_value_set() -> None:
    p = PatientBuilder("r5")
    p.medication_request(*AMOXICLAV, authored="2026-10-20", reason_text="Prophylaxis before dental work")
    assert reason_in(p, "rs-prophylaxis") is True
    assert value('First(Medications.Uses("med-j01")).reasonText', p) == "Prophylaxis before dental work"


def test_a_reason_reference_to_a_condition_gives_its_code_and_text() -> None:
    p = PatientBuilder("r6")
    cellulitis = p.condition(ICD10CM, "L03.012", "Cellulitis of left finger")
    rx = p.medication_request(*AMOXICLAV, authored="2026-10-20")
    rx["reasonReference"] = [{"reference": f"Condition/{cellulitis['id']}"}]
    assert reason_in(p, "dx-ssti") is True
    assert value('First(Medications.Uses("med-j01")).reasonText', p) == "Cellulitis of left finger"


def test_no_reason_recorded_is_not_a_reason_in_any_set() -> None:
    p = PatientBuilder("r7")
    p.medication_request(*AMOXICLAV, authored="2026-10-20")
    assert reason_in(p, "dx-ssti") is False
    assert value('Medications.HasReason(First(Medications.Uses("med-j01")))', p) is False


# --------------------------------------------------------------------------------------- evidence
def test_evidence_shows_name_daily_dose_start_and_end() -> None:
    p = PatientBuilder("e1")
    p.medication(*PREDNISONE, start="2026-01-10", end="2026-03-01", dose=(7.5, "mg"), status="completed")
    p.medication(*METHOTREXATE, start="2026-01-10", dose=(15, "mg"))
    p.medication(*PREDNISONE)
    assert evidence("med-gc", p) == [
        "prednisone 7.5 mg/day, since 2026-01-10, until 2026-03-01",
        "prednisone, start not recorded",
    ]
    found = value(
        'Medications.Uses("med-gc") U where U.period.low is not null return Medications.Evidence(U)', p
    )
    assert [(e["reference"], e["date"]) for e in found] == [("MedicationStatement/e1-med1", "2026-01-10")]


# ------------------------------------------------------------------------- criteria of a class
def history(p: PatientBuilder) -> dict[str, Any]:
    result: dict[str, Any] = value(
        "Medications.TreatmentHistory(Medications.Uses(\"med-ccb\"), 8 weeks, 'calcium channel blocker')", p
    )
    return result


def test_treatment_history_documented_long_enough_passes() -> None:
    p = PatientBuilder("h1")
    p.medication(*NIFEDIPINE, start=ago(AS_OF, months=6))
    assert history(p)["status"] == "pass"


def test_treatment_history_documented_for_less_is_unknown_with_what_to_check() -> None:
    p = PatientBuilder("h2")
    p.medication(*NIFEDIPINE, start=ago(AS_OF, weeks=4))
    result = history(p)
    assert result["status"] == "unknown"
    assert result["check"] == "whether calcium channel blocker was given for at least 8 weeks"
    assert "calcium channel blocker documented for 28 days, less than 8 weeks" in [
        e["display"] for e in result["evidence"]
    ]


def test_treatment_history_with_no_use_is_unknown() -> None:
    result = history(PatientBuilder("h3"))
    assert (result["status"], result["check"]) == ("unknown", "calcium channel blocker for at least 8 weeks")


def test_excluding_fails_with_the_uses_and_passes_without() -> None:
    p = PatientBuilder("h4")
    p.medication(*SILDENAFIL, start="2026-10-01")
    assert (
        value("Medications.Excluding(Medications.Uses(\"med-pde5\"), 'PDE5 inhibitor')", p)["status"]
        == "fail"
    )
    result = value(
        "Medications.Excluding(Medications.Uses(\"med-pde5\"), 'PDE5 inhibitor')", PatientBuilder("h5")
    )
    assert (result["status"], result["evidence"][0]["display"]) == ("pass", "no PDE5 inhibitor recorded")


def test_snomed_route_code_alone_decides_the_route() -> None:
    p = PatientBuilder("h6")
    rx = p.medication_request(*AMOXICLAV, authored="2026-10-20")
    rx["dosageInstruction"] = [{"route": {"coding": [{"system": SNOMED, "code": "54485002"}]}}]
    assert refs('Medications.Systemic(Medications.Uses("med-j01"))', p) == []
