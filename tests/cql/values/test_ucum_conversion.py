"""Converting values between commensurable units, and refusing the rest."""

from decimal import Decimal
from fractions import Fraction

import pytest

from cds.cql.values.ucum import (
    DIMENSIONS,
    UcumError,
    canonical,
    convert,
    is_commensurable,
    normalize_for_compare,
)

LAB_CONVERSIONS = [
    ("100", "mg/dL", "g/L", "1"),
    ("1", "g/L", "mg/dL", "100"),
    ("14.2", "g/dL", "g/L", "142"),
    ("142", "g/L", "g/dL", "14.2"),
    ("5.4", "10*3/uL", "10*9/L", "5.4"),
    ("250", "10*9/L", "10*3/uL", "250"),
    ("5.5", "mmol/L", "umol/L", "5500"),
    ("88", "umol/L", "mmol/L", "0.088"),
    ("1", "mg%", "mg/dL", "1"),
    ("1", "mL", "cm3", "1"),
    ("1", "eq", "mol", "1"),
    ("140", "meq/L", "mmol/L", "140"),
    ("1", "kat", "U", "60000000"),
    ("1", "[IU]", "[iU]", "1"),
    ("2", "m[IU]/mL", "[IU]/L", "2"),
    ("50", "%", "1", "0.5"),
    ("150", "[lb_av]", "kg", "68.03885550"),
    ("1", "kg", "[lb_av]", "2.204622621848775807229738013"),
    ("16", "[oz_av]", "[lb_av]", "1"),
    ("1", "t", "kg", "1000"),
    ("70", "[in_i]", "cm", "177.80"),
    ("2.54", "cm", "[in_i]", "1"),
    ("1", "[ft_i]", "cm", "30.48"),
    ("1", "[mi_i]", "m", "1609.344"),
    ("1", "m2", "cm2", "10000"),
    ("1", "h", "min", "60"),
    ("90", "min", "h", "1.5"),
    ("1", "d", "h", "24"),
    ("2", "wk", "d", "14"),
    ("1", "a", "d", "365.25"),
    ("1", "mo", "d", "30.4375"),
    ("1", "a", "mo", "12"),
    ("1000", "ms", "s", "1"),
    ("1", "s", "us", "1000000"),
    ("1", "us", "ns", "1000"),
    ("60", "/min", "Hz", "1"),
    ("72", "{beats}/min", "/s", "1.2"),
    ("120", "mm[Hg]", "kPa", "15.99864"),
    ("10", "cm[H2O]", "kPa", "0.980665"),
    ("1", "bar", "Pa", "100000"),
    ("1", "kcal", "J", "4184"),
    ("1", "[Cal]", "kJ", "4.184"),
    ("1", "W", "J/s", "1"),
    ("1", "N", "kg.m/s2", "1"),
]


@pytest.mark.parametrize(("value", "source", "target", "expected"), LAB_CONVERSIONS)
def test_lab_and_vital_sign_conversions(value: str, source: str, target: str, expected: str) -> None:
    assert convert(Decimal(value), source, target) == Decimal(expected)


TEMPERATURES = [
    ("37", "Cel", "[degF]", "98.6"),
    ("98.6", "[degF]", "Cel", "37"),
    ("-40", "Cel", "[degF]", "-40"),
    ("0", "Cel", "K", "273.15"),
    ("32", "[degF]", "K", "273.15"),
    ("300", "K", "Cel", "26.85"),
    ("491.67", "[degR]", "Cel", "0"),
    ("80", "[degRe]", "Cel", "100"),
    ("37000", "mCel", "Cel", "37"),
]


@pytest.mark.parametrize(("value", "source", "target", "expected"), TEMPERATURES)
def test_temperatures_convert_through_their_offsets(
    value: str, source: str, target: str, expected: str
) -> None:
    assert convert(Decimal(value), source, target) == Decimal(expected)


def test_ph_is_the_negative_decimal_logarithm_of_molar_concentration() -> None:
    assert convert(Decimal("7.4"), "[pH]", "mol/L") == Decimal(10) ** Decimal("-7.4")
    assert convert(Decimal("1e-7"), "mol/L", "[pH]") == 7
    assert convert(Decimal("0.1"), "umol/L", "[pH]") == 7


def test_bels_and_decibels_are_decimal_logarithms_of_a_ratio() -> None:
    assert convert(Decimal("20"), "dB", "1") == 100
    assert convert(Decimal("2"), "B", "dB") == 20


def test_a_logarithmic_scale_has_no_value_for_zero() -> None:
    with pytest.raises(UcumError, match=r"logarithmic"):
        convert(Decimal("0"), "mol/L", "[pH]")


def test_a_result_carries_at_most_28_significant_digits() -> None:
    result = convert(Decimal("1"), "d", "mo")
    assert len(result.as_tuple().digits) == 28
    assert abs(result * Decimal("30.4375") - 1) < Decimal("1e-27")


def test_converting_to_the_same_unit_returns_the_value_unchanged() -> None:
    value = Decimal("1.2345678901234567890123456789012")
    assert convert(value, "mg", "mg") is value


INCOMMENSURABLE = [
    ("mg", "mL"),
    ("g/L", "mmol/L"),
    ("s", "m"),
    ("Cel", "g"),
    ("[iU]", "1"),
    ("[IU]", "[arb'U]"),
    ("U", "[IU]"),
    ("%", "[iU]"),
    ("[CFU]/mL", "/mL"),
    ("[pH]", "K"),
    ("kg", "[lb_av]/m"),
]


@pytest.mark.parametrize(("a", "b"), INCOMMENSURABLE)
def test_incommensurable_units_do_not_convert(a: str, b: str) -> None:
    assert not is_commensurable(a, b)
    with pytest.raises(UcumError, match=rf"cannot convert '{a}' to '{b}'".replace("[", r"\[")):
        convert(Decimal("1"), a, b)


def test_an_incommensurable_error_names_what_each_unit_measures() -> None:
    with pytest.raises(UcumError, match=r"'mg' measures g, 'mL' measures m3"):
        convert(Decimal("1"), "mg", "mL")


@pytest.mark.parametrize(
    ("a", "b"),
    [("mg/dL", "g/L"), ("Cel", "[degF]"), ("Cel", "K"), ("[IU]", "[iU]"), ("{score}", "1"), ("/min", "Hz")],
)
def test_commensurable_units(a: str, b: str) -> None:
    assert is_commensurable(a, b)


def test_arbitrary_units_convert_only_to_themselves() -> None:
    assert convert(Decimal("3"), "[arb'U]/mL", "[arb'U]/L") == 3000
    assert not is_commensurable("[arb'U]", "1")


def test_a_scale_this_module_cannot_compute_converts_only_to_itself() -> None:
    assert convert(Decimal("2"), "[p'diop]", "[p'diop]") == 2
    assert is_commensurable("[p'diop]", "[p'diop]")
    with pytest.raises(UcumError, match=r"does not convert"):
        convert(Decimal("2"), "[p'diop]", "rad")


def test_the_mole_is_a_number_so_amounts_per_volume_are_commensurable_with_counts() -> None:
    # UCUM defines mol as 6.0221367e23 (a pure number), so this holds by the specification.
    assert is_commensurable("mmol/L", "10*9/L")


def test_invalid_units_raise_rather_than_convert() -> None:
    with pytest.raises(UcumError, match=r"'beats'"):
        convert(Decimal("1"), "beats", "/min")
    with pytest.raises(UcumError):
        is_commensurable("mg", "mgg")


def test_canonical_gives_the_factor_to_base_units() -> None:
    newton = canonical("N")
    assert newton[0] == 1000
    assert newton[1][:3] == (1, 1, -2)
    assert canonical("Pa")[0] == 1000  # base units are g, m, s: a pascal is 1000 g/(m.s2)
    assert canonical("mm[Hg]")[0] == Fraction("133.322") * 1000
    assert canonical("[lb_av]")[0] == Fraction("453.59237")
    assert canonical("mol")[0] == Fraction("6.0221367e23")
    assert canonical("a")[0] == 31557600
    assert canonical("[Ch]")[0] == Fraction(1, 3000)
    assert len(canonical("1")[1]) == len(DIMENSIONS)


def test_special_units_have_no_canonical_factor() -> None:
    with pytest.raises(UcumError, match=r"non-ratio"):
        canonical("Cel")


def test_normalized_quantities_compare_across_units() -> None:
    assert normalize_for_compare(Decimal("1"), "cm") == normalize_for_compare(Decimal("0.01"), "m")
    assert normalize_for_compare(Decimal("1"), "mo") == normalize_for_compare(Decimal("30.4375"), "d")
    one_m = normalize_for_compare(Decimal("1"), "m")
    ten_cm = normalize_for_compare(Decimal("10"), "cm")
    assert one_m is not None and ten_cm is not None
    assert one_m[1] == ten_cm[1] and one_m[0] > ten_cm[0]


def test_normalization_keeps_arbitrary_units_apart() -> None:
    iu = normalize_for_compare(Decimal("1"), "[IU]")
    arb = normalize_for_compare(Decimal("1"), "[arb'U]")
    assert iu is not None and arb is not None
    assert iu[1] != arb[1]


def test_special_units_do_not_normalize() -> None:
    assert normalize_for_compare(Decimal("37"), "Cel") is None
