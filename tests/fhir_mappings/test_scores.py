"""fhir_mappings/Scores.cql: scores against thresholds (rule 4), SLEDAI-2K with its laboratory part
(TERMINOLOGY.md 4.5), BVAS v3 items, IMACS VAS units, NYHA class and the mRSS rise."""

from __future__ import annotations

from typing import Any

from protocols.support import AS_OF, mapping_value

from cds.fhir.builder import LOCAL, LOINC, SNOMED, PatientBuilder, ago

SLEDAI = (LOCAL, "sledai-2k", "SLEDAI-2K")
BVAS = (LOCAL, "bvas-v3", "BVAS v3")
MMT8 = (LOCAL, "mmt-8", "MMT-8")
HAQ = (LOINC, "75874-8", "HAQ-DI")
PATIENT_VAS = (LOCAL, "imacs-patient-global", "Patient global VAS")
NYHA = (LOINC, "88020-3", "NYHA class")
MRSS = (LOCAL, "mrss", "mRSS")
RBC_URINE = (LOINC, "13945-1", "Urine RBC")
WBC_URINE = (LOINC, "5821-4", "Urine WBC")
CASTS = (LOINC, "9439-1", "Urinary casts")
PROT_24H = (LOINC, "2889-4", "Protein 24 h urine")
UPCR = (LOINC, "2890-2", "Urine protein/creatinine")
C3 = (LOINC, "4485-9", "C3")
DSDNA = (LOINC, "5130-0", "Anti-dsDNA")
TEMP = (LOINC, "8310-5", "Body temperature")
PLT = (LOINC, "777-3", "Platelets")
WBC = (LOINC, "6690-2", "Leukocytes")


def scores(expression: str, p: PatientBuilder) -> Any:
    return mapping_value(expression, p, ["Scores", "Records"])


def patient() -> PatientBuilder:
    return PatientBuilder("score-1", birth_date="1980-03-01", gender="female")


def days_ago(n: int) -> str:
    return ago(AS_OF, days=n)


def displays(result: dict[str, Any]) -> str:
    return " | ".join(e["display"] for e in result["evidence"])


# ---------------------------------------------------------------------------- plain thresholds
def mmt8(value: int) -> str:
    p = patient()
    p.observation(*MMT8, value=value, unit="{score}", date=days_ago(10))
    status: str = scores("Scores.ScoreAtMost(\"sc-mmt8\", 'MMT-8', 141)", p)["status"]
    return status


def test_mmt8_of_141_is_at_most_141() -> None:
    assert mmt8(141) == "pass"


def test_mmt8_of_142_is_above_the_ceiling() -> None:
    assert mmt8(142) == "fail"


def test_haq_at_the_threshold_of_0_25_passes_and_just_below_fails() -> None:
    for value, status in (("0.25", "pass"), ("0.24", "fail")):
        p = patient()
        p.observation(*HAQ, value=value, unit="{score}", date=days_ago(10))
        assert scores("Scores.ScoreAtLeast(\"sc-haq\", 'HAQ-DI', 0.25)", p)["status"] == status


def test_a_score_in_a_value_integer_or_numeric_string_is_read() -> None:
    p = patient()
    o = p.observation(*MMT8, date=days_ago(10))
    o["valueInteger"] = 120
    q = patient()
    q.observation(*MMT8, value_string="130", date=days_ago(10))
    assert scores('Scores.ScoreValue(Scores.Latest("sc-mmt8"))', p) == 120
    assert scores('Scores.ScoreValue(Scores.Latest("sc-mmt8"))', q) == 130


def test_no_score_in_the_last_three_months_is_unknown() -> None:
    p = patient()
    p.observation(*MMT8, value=100, unit="{score}", date=ago(AS_OF, months=3, days=1))
    result = scores("Scores.ScoreAtMost(\"sc-mmt8\", 'MMT-8', 141)", p)
    assert result["status"] == "unknown"
    assert result["check"] == "score MMT-8"


# ----------------------------------------------------------------------------------------- VAS
def patient_vas(value: float, unit: str) -> dict[str, Any]:
    p = patient()
    p.observation(*PATIENT_VAS, value=value, unit=unit, date=days_ago(10))
    result: dict[str, Any] = scores("Scores.VasAtLeast(\"sc-vas-patient\", 'patient VAS', 2)", p)
    return result


def test_vas_in_millimetres_is_read_in_centimetres() -> None:
    result = patient_vas(20, "mm")
    assert result["status"] == "pass"
    assert "20 mm = 2 cm" in displays(result)


def test_vas_as_points_of_the_ten_point_scale() -> None:
    assert patient_vas(1.9, "{score}")["status"] == "fail"
    assert patient_vas(2, "1")["status"] == "pass"


def test_vas_in_an_unrelated_unit_is_unknown() -> None:
    assert patient_vas(2, "mg")["status"] == "unknown"


# ------------------------------------------------------------------------------------ SLEDAI-2K
def sledai(p: PatientBuilder) -> dict[str, Any]:
    result: dict[str, Any] = scores("Scores.SledaiAtLeast(8)", p)
    return result


def test_a_recorded_sledai_of_8_passes_and_7_fails() -> None:
    for value, status in ((8, "pass"), (7, "fail")):
        p = patient()
        p.observation(*SLEDAI, value=value, unit="{score}", date=days_ago(20))
        assert sledai(p)["status"] == status


def test_a_recorded_sledai_decides_even_when_labs_alone_would_reach_8() -> None:
    p = patient()
    p.observation(*SLEDAI, value=6, unit="{score}", date=days_ago(20))
    p.observation(*CASTS, value=3, unit="/[LPF]", date=days_ago(5))
    p.observation(*RBC_URINE, value=10, unit="/[HPF]", date=days_ago(5))
    assert sledai(p)["status"] == "fail"


def test_partial_sledai_from_labs_of_8_proves_a_pass() -> None:
    p = patient()
    p.observation(*RBC_URINE, value=10, unit="/[HPF]", date=days_ago(5))  # hematuria 4
    p.observation(*PROT_24H, value=0.8, unit="g/(24.h)", date=days_ago(6))  # proteinuria 4
    result = sledai(p)
    assert result["status"] == "pass"
    assert "laboratory items alone score 8" in displays(result)


def test_partial_sledai_below_8_is_unknown_never_fail() -> None:
    p = patient()
    p.observation(*RBC_URINE, value=10, unit="/[HPF]", date=days_ago(5))
    result = sledai(p)
    assert result["status"] == "unknown"
    assert "clinical items" in result["check"]


def test_no_sledai_and_no_lab_items_is_unknown_with_a_score_of_0() -> None:
    result = sledai(patient())
    assert result["status"] == "unknown"
    assert "laboratory items alone score 0" in displays(result)


def partial(p: PatientBuilder) -> int:
    score: int = scores("Scores.PartialSledai.score", p)
    return score


def test_hematuria_counts_above_5_per_high_power_field_not_at_5() -> None:
    at5, at6 = patient(), patient()
    at5.observation(*RBC_URINE, value=5, unit="/[HPF]", date=days_ago(5))
    at6.observation(*RBC_URINE, value=6, unit="/[HPF]", date=days_ago(5))
    assert (partial(at5), partial(at6)) == (0, 4)


def test_pyuria_and_casts_count_4_each() -> None:
    p = patient()
    p.observation(*WBC_URINE, value=8, unit="/[HPF]", date=days_ago(5))
    p.observation(*CASTS, value=1, unit="/[LPF]", date=days_ago(5))
    assert partial(p) == 8


def test_proteinuria_above_half_a_gram_a_day_in_mg_counts() -> None:
    at500, at600 = patient(), patient()
    at500.observation(*PROT_24H, value=500, unit="mg/(24.h)", date=days_ago(5))
    at600.observation(*PROT_24H, value=600, unit="mg/(24.h)", date=days_ago(5))
    assert (partial(at500), partial(at600)) == (0, 4)


def test_a_protein_creatinine_ratio_in_mg_per_mmol_stands_in_for_24_hour_protein() -> None:
    p = patient()
    p.observation(*UPCR, value=60, unit="mg/mmol", date=days_ago(5))  # 0.53 g/g
    q = patient()
    q.observation(*UPCR, value=50, unit="mg/mmol", date=days_ago(5))  # 0.44 g/g
    assert (partial(p), partial(q)) == (4, 0)


def test_low_complement_is_below_the_labs_lower_limit() -> None:
    p = patient()
    p.observation(*C3, value=0.8, unit="g/L", date=days_ago(5), low=0.9, high=1.8)
    assert partial(p) == 2


def test_increased_dna_binding_is_above_the_labs_range() -> None:
    p = patient()
    p.observation(*DSDNA, value=40, unit="[IU]/mL", date=days_ago(5), high=10)
    assert partial(p) == 2


def test_fever_counts_above_38_celsius_also_from_fahrenheit() -> None:
    p = patient()
    p.observation(*TEMP, value=100.6, unit="[degF]", date=days_ago(5), category="vital-signs")  # 38.1 Cel
    q = patient()
    q.observation(*TEMP, value=38, unit="Cel", date=days_ago(5), category="vital-signs")
    assert (partial(p), partial(q)) == (1, 0)


def test_thrombocytopenia_and_leukopenia_count_1_each() -> None:
    p = patient()
    p.observation(*PLT, value=99, unit="10*9/L", date=days_ago(5))
    p.observation(*WBC, value=2.9, unit="10*9/L", date=days_ago(5))
    assert partial(p) == 2


def test_only_results_of_the_10_days_before_the_latest_lab_count() -> None:
    p = patient()
    p.observation(*RBC_URINE, value=10, unit="/[HPF]", date=days_ago(5))
    p.observation(*WBC_URINE, value=10, unit="/[HPF]", date=days_ago(16))  # 11 days before the visit
    p.observation(*CASTS, value=2, unit="/[LPF]", date=days_ago(15))  # 10 days before: counts
    assert partial(p) == 8


# ----------------------------------------------------------------------------------------- BVAS
def bvas(p: PatientBuilder) -> dict[str, Any]:
    result: dict[str, Any] = scores("Scores.BvasActive", p)
    return result


def bvas_with_items(major: int, minor: int, total: int = 10) -> PatientBuilder:
    p = patient()
    p.observation(
        *BVAS, value=total, unit="{score}", date=days_ago(10),
        components=[(LOCAL, "bvas-v3-major", major, "1"), (LOCAL, "bvas-v3-minor", minor, "1")],
    )  # fmt: skip
    return p


def test_one_major_bvas_item_is_enough() -> None:
    assert bvas(bvas_with_items(1, 0))["status"] == "pass"


def test_three_other_bvas_items_are_enough() -> None:
    assert bvas(bvas_with_items(0, 3))["status"] == "pass"


def test_two_other_items_and_no_major_fail_whatever_the_total() -> None:
    result = bvas(bvas_with_items(0, 2, total=12))
    assert result["status"] == "fail"
    assert "0 major, 2 other" in displays(result)


def test_item_counts_in_observations_of_their_own_are_read() -> None:
    p = patient()
    p.observation(LOCAL, "bvas-v3-major", value=1, unit="1", date=days_ago(10))
    assert bvas(p)["status"] == "pass"


def test_without_item_counts_the_total_decides_at_3() -> None:
    for total, status in ((3, "pass"), (2, "fail")):
        p = patient()
        p.observation(*BVAS, value=total, unit="{score}", date=days_ago(10))
        assert bvas(p)["status"] == status


def test_no_bvas_in_three_months_is_unknown() -> None:
    assert bvas(patient())["status"] == "unknown"


# ----------------------------------------------------------------------------------------- NYHA
def nyha(p: PatientBuilder) -> bool | None:
    value: bool | None = scores("Scores.NyhaIIIorIV", p)
    return value


def test_nyha_class_iii_coded_in_snomed_is_iii_or_iv() -> None:
    p = patient()
    p.observation(*NYHA, value_code=(SNOMED, "420913000", "NYHA class III"), date=days_ago(10))
    assert nyha(p) is True


def test_nyha_class_ii_is_not() -> None:
    p = patient()
    p.observation(*NYHA, value_code=(SNOMED, "421704003", "NYHA class II"), date=days_ago(10))
    assert nyha(p) is False


def test_nyha_class_written_as_text_is_read() -> None:
    iv, one = patient(), patient()
    iv.observation(*NYHA, value_string="Class IV", date=days_ago(10))
    one.observation(*NYHA, value_string="class I", date=days_ago(10))
    assert (nyha(iv), nyha(one)) == (True, False)


def test_no_nyha_assessment_is_null() -> None:
    assert nyha(patient()) is None


# ----------------------------------------------------------------------------------------- mRSS
def mrss_rise(values: list[tuple[int, int]]) -> dict[str, Any]:
    p = patient()
    for months_ago, value in values:
        p.observation(*MRSS, value=value, unit="{score}", date=ago(AS_OF, months=months_ago, days=1))
    result: dict[str, Any] = scores("Scores.MrssRise(Records.LastMonths(6), 10)", p)
    return result


def test_mrss_rise_of_exactly_10_percent_passes() -> None:
    result = mrss_rise([(5, 20), (0, 22)])
    assert result["status"] == "pass"
    assert "change 2 points (10 %)" in displays(result)


def test_mrss_rise_of_less_than_10_percent_fails() -> None:
    assert mrss_rise([(5, 21), (0, 23)])["status"] == "fail"


def test_mrss_earliest_of_the_window_is_the_baseline() -> None:
    assert mrss_rise([(7, 10), (5, 20), (2, 18), (0, 22)])["status"] == "pass"


def test_a_single_mrss_in_the_window_is_unknown() -> None:
    assert mrss_rise([(8, 10), (1, 22)])["status"] == "unknown"


def test_an_mrss_rising_from_0_counts_as_a_rise() -> None:
    assert mrss_rise([(5, 0), (0, 3)])["status"] == "pass"
