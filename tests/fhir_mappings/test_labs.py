"""fhir_mappings/Labs.cql and the default ULN table: rule 4 (latest usable value of the lookback, unit
not convertible -> unknown), rule 8 (unit conversions), rule 9 (x ULN), SpO2 on room air and
creatinine clearance (measured, else Cockcroft-Gault)."""

from __future__ import annotations

import doctest
from decimal import Decimal
from typing import Any

from protocols.support import AS_OF, mapping_value

from cds.eligibility import uln
from cds.fhir.builder import LOINC, PatientBuilder, ago

HB = (LOINC, "718-7", "Hemoglobin")
ANC = (LOINC, "751-8", "Neutrophils")
PLT = (LOINC, "777-3", "Platelets")
ALT = (LOINC, "1742-6", "ALT")
CK = (LOINC, "2157-6", "CK")
CREAT = (LOINC, "2160-0", "Creatinine")
BILI = (LOINC, "1975-2", "Bilirubin")
WEIGHT = (LOINC, "29463-7", "Body weight")
SPO2 = (LOINC, "59408-5", "SpO2")
CRCL = (LOINC, "2164-2", "Creatinine clearance")
PAP = (LOINC, "59101-6", "Pulmonary artery pressure")


def labs(expression: str, p: PatientBuilder) -> Any:
    return mapping_value(expression, p, ["Labs", "Records"])


def patient(gender: str | None = "female", birth_date: str = "1970-06-15") -> PatientBuilder:
    return PatientBuilder("lab-1", birth_date=birth_date, gender=gender)


def days_ago(n: int) -> str:
    return ago(AS_OF, days=n)


def hb_at_least_80(p: PatientBuilder) -> dict[str, Any]:
    result: dict[str, Any] = labs(
        "Labs.AtLeast(\"lab-hb\", 'hemoglobin', 80 'g/L', null, Labs.Lookback())", p
    )
    return result


def displays(result: dict[str, Any]) -> str:
    return " | ".join(e["display"] for e in result["evidence"])


# ------------------------------------------------------------------------------ default ULN table
def test_uln_module_doctests_pass() -> None:
    assert doctest.testmod(uln).failed == 0


def test_default_uln_table_is_read_from_fhir_mappings() -> None:
    table = uln.load_table()
    assert table.limit("lab-alt", "male", 40) == uln.DefaultUln(Decimal("41"), "U/L")
    assert table.limit("lab-creat", "female", 40) == uln.DefaultUln(Decimal("90"), "umol/L")


def test_default_ck_limit_for_men_changes_at_60() -> None:
    table = uln.load_table()
    assert table.limit("lab-ck", "male", 59) == uln.DefaultUln(Decimal("250"), "U/L")
    assert table.limit("lab-ck", "male", 60) == uln.DefaultUln(Decimal("200"), "U/L")


def test_default_limit_with_an_age_band_needs_an_age() -> None:
    assert uln.load_table().limit("lab-ald", "any", None) is None


def test_lab_id_is_the_last_segment_of_the_value_set_url() -> None:
    assert uln.lab_id("https://trialcds.org/fhir/ValueSet/lab-tbil") == "lab-tbil"


# ------------------------------------------------------------------------- latest value (rule 4)
def test_hemoglobin_in_g_per_dl_is_compared_in_g_per_l() -> None:
    p = patient()
    p.observation(*HB, value=8.0, unit="g/dL", date=days_ago(10))
    result = hb_at_least_80(p)
    assert result["status"] == "pass"
    assert "(= 80 g/L)" in displays(result)


def test_hemoglobin_just_below_80_g_per_l_fails() -> None:
    p = patient()
    p.observation(*HB, value=7.99, unit="g/dL", date=days_ago(10))
    assert hb_at_least_80(p)["status"] == "fail"


def test_the_latest_value_decides_not_an_older_better_one() -> None:
    p = patient()
    p.observation(*HB, value=12, unit="g/dL", date=days_ago(40))
    p.observation(*HB, value=7, unit="g/dL", date=days_ago(5))
    assert hb_at_least_80(p)["status"] == "fail"


def test_a_value_three_months_old_to_the_day_is_inside_the_lookback() -> None:
    p = patient()
    p.observation(*HB, value=12, unit="g/dL", date=ago(AS_OF, months=3))
    assert hb_at_least_80(p)["status"] == "pass"


def test_a_value_one_day_older_than_three_months_is_not_used() -> None:
    p = patient()
    p.observation(*HB, value=12, unit="g/dL", date=ago(AS_OF, months=3, days=1))
    result = hb_at_least_80(p)
    assert result["status"] == "unknown"
    assert "no usable hemoglobin result since 2026-08-01" in displays(result)


def test_a_preliminary_or_entered_in_error_result_is_not_usable() -> None:
    p = patient()
    p.observation(*HB, value=12, unit="g/dL", date=days_ago(5), status="preliminary")
    p.observation(*HB, value=12, unit="g/dL", date=days_ago(6), status="entered-in-error")
    assert hb_at_least_80(p)["status"] == "unknown"


def test_a_unit_that_does_not_convert_to_the_thresholds_is_unknown_never_a_guess() -> None:
    p = patient()
    p.observation(*HB, value=7.5, unit="mmol/L", date=days_ago(5))
    result = hb_at_least_80(p)
    assert result["status"] == "unknown"
    assert "not a value in a unit convertible to g/L" in displays(result)


def test_a_value_with_a_comparator_is_unknown() -> None:
    p = patient()
    p.observation(*HB, value=12, unit="g/dL", date=days_ago(5))["valueQuantity"]["comparator"] = ">"
    assert hb_at_least_80(p)["status"] == "unknown"


def test_counts_in_cells_per_microlitre_convert_to_10e9_per_litre() -> None:
    p = patient()
    p.observation(*ANC, value=1500, unit="cells/uL", date=days_ago(5))
    result = labs("Labs.AtLeast(\"lab-anc\", 'ANC', 1.5 '10*9/L', null, Labs.Lookback())", p)
    assert result["status"] == "pass"
    assert "(= 1.5 10*9/L)" in displays(result)


def test_counts_in_thousands_per_microlitre_equal_10e9_per_litre() -> None:
    p = patient()
    p.observation(*PLT, value=49, unit="10*3/uL", date=days_ago(5))
    assert (
        labs("Labs.AtLeast(\"lab-plt\", 'platelets', 50 '10*9/L', null, Labs.Lookback())", p)["status"]
        == "fail"
    )


def test_ucum_unit_reads_common_non_ucum_spellings() -> None:
    p = patient()
    assert labs("Labs.UcumUnit('x10^9/L')", p) == "10*9/L"
    assert labs("Labs.UcumUnit('mmHg')", p) == "mm[Hg]"
    assert labs("Labs.UcumUnit('mg/dL')", p) == "mg/dL"


def test_creatinine_in_mg_per_dl_converts_to_umol_per_l_at_88_4() -> None:
    p = patient()
    value = labs("Labs.Convert(1.0 'mg/dL', 'umol/L', Labs.\"Creatinine umol/L per mg/dL\")", p)
    assert value.value == Decimal("88.4") and value.unit == "umol/L"


def test_bilirubin_in_umol_per_l_converts_to_mg_per_dl_at_17_1() -> None:
    p = patient()
    value = labs("Labs.Convert(34.2 'umol/L', 'mg/dL', Labs.\"Bilirubin umol/L per mg/dL\")", p)
    assert value.value == Decimal("2") and value.unit == "mg/dL"


def test_mass_and_substance_do_not_convert_without_an_analyte_factor() -> None:
    assert labs("Labs.Convert(1.0 'mg/dL', 'umol/L', null)", patient()) is None


# --------------------------------------------------------------------------------- x ULN (rule 9)
def alt_at_most_2_5_uln(p: PatientBuilder) -> dict[str, Any]:
    result: dict[str, Any] = labs("Labs.AtMostTimesUln(\"lab-alt\", 'ALT', 2.5, null)", p)
    return result


def test_the_observations_own_reference_range_high_is_the_uln() -> None:
    p = patient()
    p.observation(*ALT, value=100, unit="U/L", date=days_ago(5), high=40)
    result = alt_at_most_2_5_uln(p)
    assert result["status"] == "pass"
    assert "2.5 x ULN (ULN 40 U/L from the lab's reference range)" in displays(result)


def test_just_above_2_5_uln_fails() -> None:
    p = patient()
    p.observation(*ALT, value=100.1, unit="U/L", date=days_ago(5), high=40)
    assert alt_at_most_2_5_uln(p)["status"] == "fail"


def test_without_a_reference_range_the_sex_specific_default_uln_is_used_and_said_so() -> None:
    woman, man = patient("female"), patient("male")
    for p in (woman, man):
        p.observation(*ALT, value=90, unit="U/L", date=days_ago(5))
    assert alt_at_most_2_5_uln(woman)["status"] == "fail"  # 90 / 33 = 2.73
    result = alt_at_most_2_5_uln(man)  # 90 / 41 = 2.2
    assert result["status"] == "pass"
    assert "default ULN" in displays(result)


def test_a_sex_specific_default_uln_is_unknown_for_a_patient_of_unknown_sex() -> None:
    p = patient(None)
    p.observation(*ALT, value=30, unit="U/L", date=days_ago(5))
    result = alt_at_most_2_5_uln(p)
    assert result["status"] == "unknown"
    assert "no default ULN for sex unknown" in displays(result)


def test_enzyme_in_international_units_compares_with_a_default_uln_in_u_per_l() -> None:
    p = patient("male")
    p.observation(*ALT, value=50, unit="IU/L", date=days_ago(5))
    assert alt_at_most_2_5_uln(p)["status"] == "pass"


def test_default_ck_uln_follows_the_age_at_the_test() -> None:
    p = patient("male", birth_date="1965-01-01")  # 61 at the test: limit 200 U/L
    p.observation(*CK, value=310, unit="U/L", date=days_ago(5))
    assert labs("Labs.AboveTimesUln(\"lab-ck\", 'CK', 1.5, null)", p)["status"] == "pass"


def test_creatinine_in_mg_per_dl_against_a_default_uln_in_umol_per_l() -> None:
    p = patient("female")
    p.observation(*CREAT, value=1.5, unit="mg/dL", date=days_ago(5))  # 132.6 umol/L = 1.47 x 90
    expr = 'Labs.AtMostTimesUln("lab-creat", \'creatinine\', 1.5, Labs."Creatinine umol/L per mg/dL")'
    result = labs(expr, p)
    assert result["status"] == "pass"
    assert "(= 132.6 umol/L) = 1.47 x ULN" in displays(result)


def test_a_reference_range_for_the_other_sex_is_not_used() -> None:
    p = patient("female")
    o = p.observation(*ALT, value=95, unit="U/L", date=days_ago(5), high=50)
    o["referenceRange"][0]["appliesTo"] = [{"coding": [{"code": "male"}]}]
    assert alt_at_most_2_5_uln(p)["status"] == "fail"  # the female default 33 U/L applies


# ------------------------------------------------------------------------------------ SpO2
def spo2(p: PatientBuilder) -> dict[str, Any]:
    result: dict[str, Any] = labs("Labs.SpO2AtLeast(92 '%')", p)
    return result


def test_spo2_on_room_air_at_92_percent_passes() -> None:
    p = patient()
    p.observation(*SPO2, value=92, unit="%", date=days_ago(3), category="vital-signs")
    assert spo2(p)["status"] == "pass"


def test_spo2_taken_on_oxygen_is_not_used() -> None:
    p = patient()
    p.observation(*SPO2, value=88, unit="%", date=days_ago(30), category="vital-signs")
    p.observation(
        *SPO2, value=96, unit="%", date=days_ago(3), category="vital-signs",
        components=[(LOINC, "3151-8", 2, "L/min")],
    )  # fmt: skip
    result = spo2(p)
    assert result["status"] == "fail"
    assert "88 %" in displays(result)


def test_only_spo2_values_on_oxygen_leave_it_unknown() -> None:
    p = patient()
    p.observation(
        *SPO2, value=96, unit="%", date=days_ago(3), category="vital-signs",
        components=[(LOINC, "3150-0", 40, "%")],
    )  # fmt: skip
    result = spo2(p)
    assert result["status"] == "unknown"
    assert "on supplemental oxygen" in displays(result)


# ----------------------------------------------------------------------- creatinine clearance
def crcl(p: PatientBuilder) -> dict[str, Any]:
    result: dict[str, Any] = labs("Labs.CreatinineClearanceAtLeast(50 'mL/min')", p)
    return result


def test_a_measured_creatinine_clearance_is_preferred_to_cockcroft_gault() -> None:
    p = patient()
    p.observation(*CRCL, value=45, unit="mL/min", date=days_ago(10))
    p.observation(*CREAT, value=0.6, unit="mg/dL", date=days_ago(10))
    p.observation(*WEIGHT, value=80, unit="kg", date=days_ago(10))
    assert crcl(p)["status"] == "fail"


def test_cockcroft_gault_for_a_woman_applies_0_85() -> None:
    # (140 - 56) x 60 / (72 x 1.2) x 0.85 = 49.58 mL/min
    p = patient("female", birth_date="1970-06-15")
    p.observation(*CREAT, value=1.2, unit="mg/dL", date=days_ago(10))
    p.observation(*WEIGHT, value=60, unit="kg", date=days_ago(200))
    result = crcl(p)
    assert result["status"] == "fail"
    assert "Cockcroft-Gault creatinine clearance 49.6 mL/min" in displays(result)


def test_cockcroft_gault_for_a_man_reads_creatinine_in_umol_per_l() -> None:
    # 106.08 umol/L = 1.2 mg/dL; (140 - 56) x 60 / (72 x 1.2) = 58.33 mL/min
    p = patient("male", birth_date="1970-06-15")
    p.observation(*CREAT, value=106.08, unit="umol/L", date=days_ago(10))
    p.observation(*WEIGHT, value=60, unit="kg", date=days_ago(10))
    result = crcl(p)
    assert result["status"] == "pass"
    assert "58.3 mL/min" in displays(result)


def test_cockcroft_gault_without_a_weight_of_the_last_12_months_is_unknown() -> None:
    p = patient()
    p.observation(*CREAT, value=0.8, unit="mg/dL", date=days_ago(10))
    p.observation(*WEIGHT, value=60, unit="kg", date=ago(AS_OF, months=12, days=1))
    result = crcl(p)
    assert result["status"] == "unknown"
    assert "a body weight since 2025-11-01" in result["check"]


def test_cockcroft_gault_names_every_missing_input() -> None:
    p = PatientBuilder("lab-2", birth_date=None, gender="unknown")
    result = crcl(p)
    assert result["status"] == "unknown"
    for missing in ("a creatinine", "a body weight", "a birth date", "sex (male or female)"):
        assert missing in result["check"]


def test_weight_in_pounds_is_converted_for_cockcroft_gault() -> None:
    p = patient("male", birth_date="1970-06-15")
    p.observation(*CREAT, value=1.0, unit="mg/dL", date=days_ago(10))
    p.observation(*WEIGHT, value=132.277, unit="[lb_av]", date=days_ago(10))  # 60.0 kg
    assert "x 60 kg" in displays(crcl(p))


# ------------------------------------------------------------------------------------- above
def test_pressures_above_a_limit_in_a_window_are_listed() -> None:
    p = patient()
    p.observation(*PAP, value=61, unit="mm[Hg]", date=days_ago(100))
    p.observation(*PAP, value=60, unit="mm[Hg]", date=days_ago(50))
    p.observation(*PAP, value=70, unit="mm[Hg]", date=ago(AS_OF, months=13))
    found = labs("Labs.Above(\"lab-pap\", 60 'mm[Hg]', Records.LastMonths(12)) O return O.id", p)
    assert found == ["lab-1-obs1"]
