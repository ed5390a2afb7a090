"""The UCUM grammar: prefixes, exponents, '/' and '.', parentheses, annotations, 10*n, and what is refused."""

from fractions import Fraction

import pytest

from cds.cql.values.ucum import DIMENSIONS, UcumError, canonical, is_valid, validate
from cds.cql.values.ucum_units import BASE_UNITS, PREFIXES, UNITS


def dims(**exponents: int) -> tuple[int, ...]:
    return tuple(exponents.get(name, 0) for name in DIMENSIONS)


NONE = dims()
ONE = Fraction(1)


@pytest.mark.parametrize(
    "unit",
    [
        "1",
        "%",
        "{ratio}",
        "{score}",
        "{eskimo_kisses}",
        "10*3/uL",
        "10*9/L",
        "10^3",
        "/uL",
        "g/dL",
        "mg/dL",
        "umol/L",
        "mmol/L",
        "mL/min/{1.73_m2}",
        "{cells}/uL",
        "{beats}/min",
        "kg.m/s2",
        "mg/(24.h)",
        "g{total}",
        "cm[H2O]",
        "mm[Hg]",
        "[lb_av]",
        "[arb'U]",
        "m[IU]/mL",
        "B[10.nV]",
        "dB",
        "Cel",
        "[degF]",
        "ml",
        "g/cm3",
    ],
)
def test_units_labs_and_cql_tests_use_are_valid(unit: str) -> None:
    assert is_valid(unit)
    validate(unit)


def test_annotations_are_the_dimensionless_unit_one() -> None:
    assert canonical("{score}") == (ONE, NONE)
    assert canonical("{cells}/uL") == canonical("/uL")
    assert canonical("mL/min/{1.73_m2}") == canonical("mL/min")
    assert canonical("g{total}") == canonical("g")


def test_exponent_applies_to_the_prefixed_unit_not_the_atom_alone() -> None:
    assert canonical("cm2") == (Fraction(1, 10**4), dims(m=2))
    assert canonical("g/cm3") == (Fraction(10**6), dims(m=-3, g=1))


def test_exponents_may_be_signed() -> None:
    assert canonical("s-1") == canonical("/s")
    assert canonical("m+2") == canonical("m2")
    assert canonical("m0") == (ONE, NONE)


def test_ten_star_and_ten_caret_are_powers_of_ten() -> None:
    assert canonical("10*3") == (Fraction(1000), NONE)
    assert canonical("10^3") == (Fraction(1000), NONE)
    assert canonical("10*-3") == (Fraction(1, 1000), NONE)
    assert canonical("10*") == (Fraction(10), NONE)
    assert canonical("10*3/uL") == canonical("10*9/L")


def test_division_and_multiplication_are_left_associative() -> None:
    assert canonical("kg/m/s") == canonical("kg/(m.s)")
    assert canonical("g/m.s") == canonical("g.s/m")


def test_a_leading_slash_inverts_the_whole_term() -> None:
    assert canonical("/uL") == (Fraction(10**9), dims(m=-3))
    assert canonical("/kg.d") == canonical("1/(kg.d)")


def test_a_number_is_a_factor() -> None:
    assert canonical("mg/(24.h)") == (Fraction(1, 1000 * 24 * 3600), dims(g=1, s=-1))


def test_a_whole_atom_wins_over_prefix_plus_atom() -> None:
    assert canonical("cd") == (ONE, dims(cd=1))  # candela, not centiday
    assert canonical("Pa")[1] == dims(m=-1, g=1, s=-2)  # pascal, not peta-year
    assert canonical("min") == (Fraction(60), dims(s=1))


@pytest.mark.parametrize("unit", ["ha", "kmin", "k[lb_av]", "m%", "c[in_i]"])
def test_prefixes_only_attach_to_metric_units(unit: str) -> None:
    assert not is_valid(unit)


@pytest.mark.parametrize("prefix", sorted(PREFIXES))
def test_every_prefix_scales_the_gram(prefix: str) -> None:
    assert canonical(f"{prefix}g") == (Fraction(PREFIXES[prefix]), dims(g=1))


def test_a_prefixed_symbol_names_exactly_one_prefix_and_atom() -> None:
    metric = [*BASE_UNITS, *(u.code for u in UNITS if u.metric)]
    atoms = set(BASE_UNITS) | {u.code for u in UNITS}
    for prefix in PREFIXES:
        for atom in metric:
            symbol = prefix + atom
            splits = [(p, symbol[len(p) :]) for p in PREFIXES if symbol.startswith(p)]
            readings = [s for s in splits if s[1] in metric]
            assert symbol in atoms or readings == [(prefix, atom)], symbol


def test_every_atom_in_the_table_is_a_valid_unit() -> None:
    for unit in UNITS:
        assert is_valid(unit.code), unit.code
    for base in BASE_UNITS:
        assert canonical(base) == (ONE, dims(**{base: 1}))


def test_codes_are_case_sensitive() -> None:
    assert canonical("mg") != canonical("Mg")
    assert not is_valid("KG")
    assert not is_valid("MOL")


@pytest.mark.parametrize(
    "unit",
    [
        "",
        " mg",
        "mg ",
        "m g",
        "µg",
        "beats",
        "year",
        "mg/",
        "/",
        "m//s",
        "m.",
        "(m",
        "m)",
        "()",
        "(m/s)2",
        "{x",
        "x}",
        "mg{a}{b}",
        "[in_i",
        "in_i]",
        "0",
        "2{x}",
        "0.5mg",
        "Cel/h",
        "Cel2",
        "2.Cel",
        "m.[degF]",
    ],
)
def test_invalid_units_are_refused(unit: str) -> None:
    assert not is_valid(unit)
    with pytest.raises(UcumError):
        validate(unit)


def test_an_error_names_the_unit_and_what_is_wrong() -> None:
    with pytest.raises(UcumError, match=r"'mg/beats' is not a valid UCUM unit: unknown unit symbol 'beats'"):
        validate("mg/beats")
    with pytest.raises(UcumError, match=r"'Cel/h'.*special unit 'Cel'.*non-ratio scale"):
        validate("Cel/h")
    with pytest.raises(UcumError, match=r"empty"):
        validate("")


def test_an_error_points_at_the_offending_symbol() -> None:
    with pytest.raises(UcumError, match=r"at position 3"):
        validate("mg/beats")
