"""fhir_mappings/Demographics.cql: age at the as-of date, childbearing potential and the shared
pregnancy criterion (CRITERIA.md F01 inc-pregnancy, A-DUSE exc-pregnancy)."""

from __future__ import annotations

from typing import Any

import pytest
from protocols.support import AS_OF, mapping_value

from cds.fhir.builder import ICD10CM, LOINC, SNOMED, PatientBuilder, ago

NEGATIVE = (SNOMED, "260385009", "Negative")
POSITIVE = (SNOMED, "10828004", "Positive")
URINE_HCG = (LOINC, "2106-3", "Choriogonadotropin (pregnancy test) [Presence] in Urine")
SERUM_HCG = (LOINC, "2118-8", "Choriogonadotropin (pregnancy test) [Presence] in Serum or Plasma")


def demo(expression: str, p: PatientBuilder) -> Any:
    return mapping_value(expression, p, ["Demographics"])


def woman(pid: str, age: int = 30) -> PatientBuilder:
    return PatientBuilder(pid, birth_date=ago(AS_OF, years=age), gender="female")


# ---------------------------------------------------------------------------------------- age
def test_age_turns_18_on_the_18th_birthday() -> None:
    assert demo("Demographics.AgeInYears()", PatientBuilder("d1", birth_date="2008-11-01")) == 18


def test_age_is_17_the_day_before_the_18th_birthday() -> None:
    assert demo("Demographics.AgeInYears()", PatientBuilder("d2", birth_date="2008-11-02")) == 17


def test_age_is_null_without_a_birth_date() -> None:
    assert demo("Demographics.AgeInYears()", PatientBuilder("d3", birth_date=None)) is None


@pytest.mark.parametrize(
    ("birth_date", "status"),
    [("2008-11-02", "fail"), ("2008-11-01", "pass"), ("1960-11-02", "pass"), ("1960-11-01", "fail")],
    ids=["17-fails", "18-passes", "65-passes", "66-fails"],
)
def test_age_criterion_bounds_are_inclusive(birth_date: str, status: str) -> None:
    result = demo("Demographics.AgeCriterion(18, 65)", PatientBuilder("d4", birth_date=birth_date))
    assert result["status"] == status


def test_age_criterion_without_upper_bound_passes_the_very_old() -> None:
    result = demo("Demographics.AgeCriterion(18, null)", PatientBuilder("d5", birth_date="1920-01-01"))
    assert result["status"] == "pass"
    assert result["evidence"][0]["display"] == "age 106 years (born 1920-01-01)"
    assert result["evidence"][0]["reference"] == "Patient/d5"


def test_age_criterion_without_birth_date_is_unknown() -> None:
    result = demo("Demographics.AgeCriterion(18, null)", PatientBuilder("d6", birth_date=None))
    assert result["status"] == "unknown"
    assert result["check"] == "the date of birth"


# ------------------------------------------------------------------------- childbearing potential
def cbp(p: PatientBuilder) -> Any:
    return demo("Demographics.ChildbearingPotential()", p)


def test_a_man_has_no_childbearing_potential() -> None:
    assert cbp(PatientBuilder("d7", birth_date="1990-01-01", gender="male")) is False


def test_a_woman_of_59_has_childbearing_potential() -> None:
    assert cbp(woman("d8", 59)) is True


def test_a_woman_of_60_has_no_childbearing_potential() -> None:
    assert cbp(woman("d9", 60)) is False


def test_hysterectomy_procedure_ends_childbearing_potential() -> None:
    p = woman("d10")
    p.procedure(SNOMED, "236886002", "Hysterectomy", date="2019-05-01")
    assert cbp(p) is False


def test_acquired_absence_of_uterus_status_condition_ends_childbearing_potential() -> None:
    p = woman("d11")
    p.condition(ICD10CM, "Z90.710", "Acquired absence of both cervix and uterus")
    assert cbp(p) is False


def test_bilateral_oophorectomy_named_in_text_ends_childbearing_potential() -> None:
    p = woman("d12")
    p.procedure(None, None, text="Laparoscopic bilateral oophorectomy", date="2020-02-02")
    assert cbp(p) is False


def test_a_not_done_sterilisation_does_not_count() -> None:
    p = woman("d13")
    p.procedure(SNOMED, "236886002", "Hysterectomy", date="2019-05-01", status="not-done")
    assert cbp(p) is True


def test_menopause_recorded_exactly_2_years_before_ends_childbearing_potential() -> None:
    p = woman("d14", 52)
    p.condition(SNOMED, "76498008", "Postmenopausal state", onset=ago(AS_OF, years=2))
    assert cbp(p) is False


def test_menopause_recorded_one_day_less_than_2_years_before_keeps_childbearing_potential() -> None:
    p = woman("d15", 52)
    p.condition(SNOMED, "76498008", "Postmenopausal state", onset=ago(AS_OF, years=2, days=-1))
    assert cbp(p) is True


def test_menopause_dated_by_recorded_date_when_no_onset() -> None:
    p = woman("d16", 55)
    p.condition(ICD10CM, "Z78.0", "Asymptomatic menopausal state", recorded="2020-01-01")
    assert cbp(p) is False


def test_menopause_with_no_date_leaves_childbearing_potential_undecided() -> None:
    p = woman("d17", 50)
    p.condition(SNOMED, "76498008", "Postmenopausal state")
    assert cbp(p) is None


def test_unknown_sex_leaves_childbearing_potential_undecided() -> None:
    assert cbp(PatientBuilder("d18", birth_date="1990-01-01", gender=None)) is None


def test_a_woman_without_birth_date_has_undecided_childbearing_potential() -> None:
    assert cbp(PatientBuilder("d19", birth_date=None, gender="female")) is None


# ---------------------------------------------------------------------------------- pregnancy
def pregnancy(p: PatientBuilder) -> Any:
    return demo("Demographics.PregnancyCriterion()", p)


def test_pregnancy_criterion_passes_a_man_saying_why() -> None:
    result = pregnancy(PatientBuilder("d20", birth_date="1990-01-01", gender="male"))
    assert result["status"] == "pass"
    assert result["evidence"][0]["display"] == "male"


def test_pregnancy_criterion_passes_a_woman_after_hysterectomy_with_its_evidence() -> None:
    p = woman("d21")
    p.procedure(SNOMED, "236886002", "Hysterectomy", date="2019-05-01")
    result = pregnancy(p)
    assert result["status"] == "pass"
    assert result["evidence"][0]["reference"] == "Procedure/d21-proc1"


def test_childbearing_woman_without_test_is_unknown() -> None:
    result = pregnancy(woman("d22"))
    assert result["status"] == "unknown"
    assert "negative serum or urine pregnancy test" in result["check"]


def test_negative_test_within_the_month_passes() -> None:
    p = woman("d23")
    p.observation(*URINE_HCG, value_code=NEGATIVE, date=ago(AS_OF, days=20))
    assert pregnancy(p)["status"] == "pass"


def test_negative_test_on_the_first_day_of_the_month_window_passes() -> None:
    p = woman("d24")
    p.observation(*URINE_HCG, value_code=NEGATIVE, date=ago(AS_OF, months=1))
    assert pregnancy(p)["status"] == "pass"


def test_negative_test_one_day_older_than_a_month_is_unknown() -> None:
    p = woman("d25")
    p.observation(*URINE_HCG, value_code=NEGATIVE, date=ago(AS_OF, months=1, days=1))
    assert pregnancy(p)["status"] == "unknown"


def test_positive_test_within_the_month_fails() -> None:
    p = woman("d26")
    p.observation(*SERUM_HCG, value_code=POSITIVE, date=ago(AS_OF, days=3))
    result = pregnancy(p)
    assert result["status"] == "fail"
    assert result["evidence"][0]["display"].endswith("Positive")


def test_the_latest_test_of_the_month_decides() -> None:
    p = woman("d27")
    p.observation(*SERUM_HCG, value_code=POSITIVE, date=ago(AS_OF, days=25))
    p.observation(*SERUM_HCG, value_code=NEGATIVE, date=ago(AS_OF, days=2))
    assert pregnancy(p)["status"] == "pass"


def test_active_pregnancy_condition_fails_even_with_a_negative_test() -> None:
    p = woman("d28")
    p.condition(SNOMED, "77386006", "Patient currently pregnant")
    p.observation(*URINE_HCG, value_code=NEGATIVE, date=ago(AS_OF, days=2))
    assert pregnancy(p)["status"] == "fail"


def test_resolved_pregnancy_condition_does_not_fail() -> None:
    p = woman("d29")
    p.condition(ICD10CM, "Z33.1", "Pregnant state, incidental", clinical_status="resolved")
    assert pregnancy(p)["status"] == "unknown"


def test_a_result_that_cannot_be_read_is_unknown_with_the_test_as_evidence() -> None:
    p = woman("d30")
    p.observation(*URINE_HCG, value_string="see comment", date=ago(AS_OF, days=5))
    result = pregnancy(p)
    assert result["status"] == "unknown"
    assert result["evidence"][0]["reference"] == "Observation/d30-obs1"


def test_a_preliminary_test_is_not_usable() -> None:
    p = woman("d31")
    p.observation(*URINE_HCG, value_code=NEGATIVE, date=ago(AS_OF, days=5), status="preliminary")
    assert pregnancy(p)["status"] == "unknown"


def test_undecided_childbearing_potential_is_treated_as_potential() -> None:
    p = PatientBuilder("d32", birth_date=None, gender="female")
    assert pregnancy(p)["status"] == "unknown"
    p.observation(*URINE_HCG, value_code=NEGATIVE, date=ago(AS_OF, days=5))
    assert pregnancy(p)["status"] == "pass"
