"""Converting to another ratio unit and back gives the value again."""

from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from cds.cql.values.ucum import canonical, convert, is_commensurable

UNITS = [
    "1",
    "%",
    "{ratio}",
    "g",
    "mg",
    "ug",
    "kg",
    "[lb_av]",
    "[oz_av]",
    "L",
    "dL",
    "mL",
    "uL",
    "cm3",
    "m",
    "cm",
    "mm",
    "[in_i]",
    "[ft_i]",
    "s",
    "ms",
    "min",
    "h",
    "d",
    "wk",
    "mo",
    "a",
    "/min",
    "Hz",
    "mg/dL",
    "g/dL",
    "g/L",
    "mmol/L",
    "umol/L",
    "10*3/uL",
    "10*9/L",
    "Pa",
    "kPa",
    "mm[Hg]",
    "cm[H2O]",
    "bar",
    "J",
    "kcal",
    "[IU]",
    "[iU]/L",
    "m[IU]/mL",
]
units = st.sampled_from(UNITS)
# Up to 12 significant digits: what a lab or vital-sign value carries, with room to spare in 28.
values = st.builds(
    lambda digits, exponent: Decimal(digits).scaleb(exponent),
    st.integers(min_value=-(10**12) + 1, max_value=10**12 - 1),
    st.integers(min_value=-12, max_value=12),
)


def terminates(unit_from: str, unit_to: str) -> bool:
    ratio = canonical(unit_from)[0] / canonical(unit_to)[0]
    denominator = ratio.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1


@given(values, units, units)
def test_a_round_trip_through_a_terminating_ratio_is_exact(value: Decimal, a: str, b: str) -> None:
    assume(is_commensurable(a, b) and terminates(a, b))
    assert convert(convert(value, a, b), b, a) == value


@given(values, units, units)
def test_any_round_trip_agrees_to_26_significant_digits(value: Decimal, a: str, b: str) -> None:
    assume(is_commensurable(a, b) and value != 0)
    back = convert(convert(value, a, b), b, a)
    assert abs(back - value) <= abs(value) * Decimal("1e-26")


@given(st.decimals(min_value=-300, max_value=1000, places=2))
def test_temperatures_survive_a_round_trip(value: Decimal) -> None:
    assert convert(convert(value, "Cel", "[degF]"), "[degF]", "Cel") == value
    assert convert(convert(value, "Cel", "K"), "K", "Cel") == value
