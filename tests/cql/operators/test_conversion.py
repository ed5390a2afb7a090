"""Type conversion: ToString formats, To<Type> from strings and other types, ConvertsTo*, ConvertQuantity,
and the FHIR -> System conversions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cds.cql import CqlRuntimeError, evaluate_expression
from cds.cql.models import FhirObject
from cds.cql.operators import conversion
from cds.cql.values import temporal
from cds.cql.values.code import Code
from cds.cql.values.quantity import CALENDAR_UNITS, Quantity, Ratio

examples = settings(max_examples=150, deadline=None)


def cql(expression: str) -> Any:
    return evaluate_expression(expression)


# ---------------------------------------------------------------------------------------- ToString
def test_to_string_of_numbers_and_booleans() -> None:
    assert cql("ToString(-5)") == "-5"
    assert cql("ToString(5L)") == "5"
    assert cql("ToString(18.55)") == "18.55"
    assert cql("ToString(true)") == "true"


def test_to_string_of_a_decimal_keeps_its_written_places_and_no_exponent() -> None:
    assert cql("ToString(1.50)") == "1.50"
    assert cql("ToString(Power(10.0, 9.0))").startswith("1000000000")


def test_to_string_of_zero_has_no_sign() -> None:
    assert cql("ToString(-0.0)") == "0.0"


def test_to_string_of_a_quantity_quotes_its_unit() -> None:
    assert cql("ToString(125 'cm')") == "125 'cm'"
    assert cql("ToString(1.5 'mg':2 'mL')") == "1.5 'mg':2 'mL'"


def test_to_string_of_a_calendar_duration_uses_the_word() -> None:
    assert cql("ToString(4 days)") == "4 days"
    assert cql("ToString(1 year)") == "1 year"


def test_to_string_of_dates_and_times() -> None:
    assert cql("ToString(@2014-01-02)") == "2014-01-02"
    assert cql("ToString(@2014-01-02T10:30:00.000-05:00)") == "2014-01-02T10:30:00.000-05:00"
    assert cql("ToString(@T09:30:01.003)") == "09:30:01.003"


def test_to_string_of_null_is_null() -> None:
    assert cql("ToString(null as Integer)") is None


# ------------------------------------------------------------------------------ ToBoolean, numbers
@pytest.mark.parametrize("text", ["true", "T", "yes", "Y", "1"])
def test_strings_that_read_as_true(text: str) -> None:
    assert cql(f"ToBoolean('{text}')") is True


@pytest.mark.parametrize("text", ["false", "f", "NO", "n", "0"])
def test_strings_that_read_as_false(text: str) -> None:
    assert cql(f"ToBoolean('{text}')") is False


def test_other_strings_are_not_booleans() -> None:
    assert cql("ToBoolean('falsetto')") is None


def test_only_one_and_zero_are_boolean_numbers() -> None:
    assert cql("ToBoolean(1.0)") is True
    assert cql("ToBoolean(0)") is False
    assert cql("ToBoolean(2)") is None


def test_to_integer_reads_a_signed_whole_number() -> None:
    assert cql("ToInteger('-25')") == -25
    assert cql("ToInteger('+7')") == 7
    assert cql("ToInteger('1.5')") is None
    assert cql("ToInteger('one')") is None


def test_to_integer_beyond_the_integer_range_is_null() -> None:
    assert cql("ToInteger('2147483648')") is None
    assert cql("ToInteger(2147483648L)") is None
    assert cql("ToLong('2147483648')") == 2**31


def test_to_decimal_reads_the_decimal_format() -> None:
    assert cql("ToDecimal('+25.5')") == Decimal("25.5")
    assert cql("ToDecimal('+-0.1')") is None
    assert cql("ToDecimal('.5')") is None


def test_to_decimal_rounds_to_eight_places() -> None:
    assert cql("ToDecimal('1.123456789')") == Decimal("1.12345679")


def test_to_decimal_beyond_the_decimal_range_is_null() -> None:
    assert cql("ToDecimal('99999999999999999999999999999')") is None


def test_booleans_convert_to_one_and_zero() -> None:
    assert cql("ToDecimal(true)") == 1
    assert cql("ToInteger(false)") == 0


# --------------------------------------------------------------------------- ToQuantity, ToRatio
def test_to_quantity_reads_a_number_and_a_quoted_unit() -> None:
    assert cql("ToQuantity('5.5 \\'cm\\'')") == Quantity(Decimal("5.5"), "cm")
    assert cql("ToQuantity('-0.1 \\'mg\\'')") == Quantity(Decimal("-0.1"), "mg")


def test_to_quantity_reads_a_calendar_word() -> None:
    assert cql("ToQuantity('4 days')") == Quantity(Decimal(4), "day")


def test_to_quantity_rejects_bad_units_and_unquoted_ucum() -> None:
    assert cql("ToQuantity('444 \\'cm')") is None
    assert cql("ToQuantity('5 \\'foo\\'')") is None
    assert cql("ToQuantity('5 mg')") is None


def test_a_number_becomes_a_quantity_of_unit_one() -> None:
    assert cql("ToQuantity(13)") == Quantity(Decimal(13), "1")


def test_a_ratio_becomes_the_quotient_quantity() -> None:
    assert cql("ToQuantity(1 'g':2 'g')") == Quantity(Decimal("0.5"), "1")


def test_to_ratio_reads_two_quantities() -> None:
    assert cql("ToRatio('1.0 \\'mg\\':2.0 \\'mg\\'')") == Ratio(
        Quantity(Decimal(1), "mg"), Quantity(Decimal(2), "mg")
    )
    assert cql("ToRatio('1.0 \\'mg\\';2.0 \\'mg\\'')") is None


# -------------------------------------------------------------------------------- dates and times
def test_to_date_ignores_a_time_part() -> None:
    assert cql("ToDate('2014-01-01T12:30:00')") == temporal.Date(2014, 1, 1)


def test_an_impossible_date_string_is_null() -> None:
    assert cql("ToDate('2014-02-30')") is None
    assert cql("ToDateTime('2014/01/01')") is None


def test_to_date_time_keeps_the_stated_offset() -> None:
    value = cql("ToDateTime('2014-01-01T14:30:00.0-07:00')")
    assert value.hour == 14 and value.offset == Decimal(-7)


def test_to_time_reads_any_precision() -> None:
    assert cql("ToTime('14:30')") == temporal.Time(14, 30)
    assert cql("ToTime('T14-30-00.0')") is None


def test_to_concept_of_codes() -> None:
    concept = cql("ToConcept({Code{code: 'a'}, Code{code: 'b'}})")
    assert [c.code for c in concept.codes] == ["a", "b"]


# ------------------------------------------------------------------------------------ ConvertsTo
def test_converts_to_tells_whether_the_conversion_succeeds() -> None:
    assert cql("ConvertsToInteger('12')") is True
    assert cql("ConvertsToInteger('12.5')") is False
    assert cql("ConvertsToDate('2014-13')") is False
    assert cql("ConvertsToQuantity('5 \\'mg\\'')") is True


def test_converts_to_of_null_is_null() -> None:
    assert cql("ConvertsToBoolean(null)") is None


def test_a_long_converts_to_integer_only_within_range() -> None:
    assert cql("ConvertsToInteger(2147483647L)") is True
    assert cql("ConvertsToInteger(2147483648L)") is False


# ------------------------------------------------------------------------------- ConvertQuantity
def test_convert_quantity_to_a_commensurable_unit() -> None:
    assert cql("ConvertQuantity(5 'mg', 'g')") == Quantity(Decimal("0.005"), "g")
    assert cql("convert 5 'mg' to 'g'") == Quantity(Decimal("0.005"), "g")


def test_convert_quantity_between_years_and_months() -> None:
    assert cql("ConvertQuantity(18 months, 'years')") == Quantity(Decimal("1.5"), "year")


def test_calendar_years_do_not_convert_to_days() -> None:
    assert cql("ConvertQuantity(1 year, 'd')") is None


def test_weeks_convert_to_days() -> None:
    assert cql("ConvertQuantity(1 week, 'd')") == Quantity(Decimal(7), "d")


def test_convert_quantity_does_not_round_small_results_away() -> None:
    assert cql("ConvertQuantity(1 'ug', 'kg')") == Quantity(Decimal("1E-9"), "kg")


def test_incommensurable_units_do_not_convert() -> None:
    assert cql("ConvertQuantity(1 'm', 's')") is None
    assert cql("CanConvertQuantity(1 'm', 's')") is False
    assert cql("CanConvertQuantity(1 'm', 'cm')") is True


# ---------------------------------------------------------------------------------------- is, as
def test_a_value_is_an_instance_of_its_type_and_not_of_another() -> None:
    assert cql("5 is Integer") is True
    assert cql("'5' is Integer") is False
    assert cql("null is Integer") is False


def test_a_value_set_and_a_code_system_are_vocabularies() -> None:
    assert cql("System.ValueSet{id: '123'} is Vocabulary") is True
    assert cql("System.CodeSystem{id: 'http://loinc.org'} is Vocabulary") is True
    assert cql("System.ValueSet{id: '123'} is System.CodeSystem") is False
    assert cql("System.CodeSystem{id: 'http://loinc.org', version: '2.74'}.version") == "2.74"


def test_as_gives_null_for_a_value_of_another_type() -> None:
    assert cql("45.5 'g' as Quantity") == Quantity(Decimal("45.5"), "g")
    assert cql("(5 as Any) as String") is None


def test_cast_of_a_value_of_another_type_is_an_error() -> None:
    with pytest.raises(CqlRuntimeError, match="cannot cast"):
        cql("cast (5 as Any) as String")


# ------------------------------------------------------------------------------- FHIR -> System
def test_a_fhir_quantity_converts_with_its_ucum_code() -> None:
    fhir = FhirObject(
        "Quantity", {"value": 70, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"}
    )
    assert conversion.to_system(fhir) == Quantity(Decimal(70), "kg")


def test_a_fhir_quantity_with_a_comparator_cannot_convert() -> None:
    fhir = FhirObject("Quantity", {"value": 5, "comparator": "<", "code": "mg"})
    with pytest.raises(CqlRuntimeError, match="comparator"):
        conversion.to_system(fhir)


def test_a_fhir_coding_converts_to_a_code() -> None:
    fhir = FhirObject("Coding", {"system": "http://loinc.org", "code": "8480-6"})
    assert conversion.to_system(fhir) == Code("8480-6", "http://loinc.org")


# ------------------------------------------------------------------------------------- properties
@examples
@given(st.integers(-(2**31), 2**31 - 1))
def test_an_integer_survives_to_string_and_back(value: int) -> None:
    assert conversion.to_integer(conversion.to_string(value)) == value


@examples
@given(st.decimals(-(10**19), 10**19, places=8, allow_nan=False, allow_infinity=False))
def test_a_decimal_survives_to_string_and_back(value: Decimal) -> None:
    text = conversion.to_string(value)
    assert text is not None and "E" not in text
    assert conversion.to_decimal(text) == value


@examples
@given(
    st.decimals(-(10**9), 10**9, places=4, allow_nan=False, allow_infinity=False),
    st.sampled_from([*CALENDAR_UNITS, "mg", "cm", "mmol/L", "[lb_av]"]),
)
def test_a_quantity_survives_to_string_and_back(value: Decimal, unit: str) -> None:
    quantity = Quantity(value, unit)
    text = conversion.to_string(quantity)
    assert text is not None
    back = conversion.to_quantity(text)
    assert back is not None and back.unit == unit and back.value == value
