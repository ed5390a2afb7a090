"""Daily dose from FHIR Dosage (cds/eligibility/dosage.py): units, timing, strength, free text and
dosing phases, read so that a threshold the instruction can reach is seen and nothing is guessed."""

from __future__ import annotations

import doctest
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from cds.cql.values.interval import Interval
from cds.cql.values.quantity import Quantity
from cds.eligibility import dosage
from cds.eligibility.dosage import DoseInputs, Strength, daily_dose, fhir_datetime, phases, unit_of

UCUM = "http://unitsofmeasure.org"


def dose(value: Any, unit: str, **repeat: Any) -> dict[str, Any]:
    d: dict[str, Any] = {
        "doseAndRate": [{"doseQuantity": {"value": value, "unit": unit, "system": UCUM, "code": unit}}]
    }
    if repeat:
        d["timing"] = {"repeat": repeat}
    return d


DAILY = {"frequency": 1, "period": 1, "periodUnit": "d"}


def mg_per_day(value: str | int) -> Quantity:
    return Quantity(Decimal(value), "mg/d")


def test_module_examples_hold() -> None:
    assert doctest.testmod(dosage).failed == 0


# ---------------------------------------------------------------------------------------- units
def test_dose_units_written_for_people_are_read_as_ucum() -> None:
    assert [unit_of({"unit": u}) for u in ("MG", "mcg", "µg", "Milligrams", "mL", "IU", "units")] == [
        "mg",
        "ug",
        "ug",
        "mg",
        "mL",
        "[iU]",
        "U",
    ]


def test_tablets_and_capsules_are_counts() -> None:
    assert {unit_of({"unit": u}) for u in ("tablet", "{tablet}", "TAB", "capsules", "{capsule}")} == {"1"}


def test_the_ucum_code_wins_over_the_unit_text() -> None:
    assert unit_of({"unit": "milligram(s)", "system": UCUM, "code": "mg"}) == "mg"


def test_a_unit_that_is_neither_ucum_nor_known_is_none() -> None:
    assert unit_of({"unit": "puff"}) is None


# ---------------------------------------------------------------------------------- daily dose
def test_grams_and_micrograms_become_mg_per_day() -> None:
    assert daily_dose(dose(1, "g", **DAILY)) == mg_per_day(1000)
    assert daily_dose(dose(250, "ug", **DAILY)) == Quantity(Decimal("0.25"), "mg/d")


def test_frequency_per_period_gives_administrations_per_day() -> None:
    assert daily_dose(dose(5, "mg", frequency=3, period=1, periodUnit="d")) == mg_per_day(15)
    assert daily_dose(dose(10, "mg", frequency=1, period=12, periodUnit="h")) == mg_per_day(20)
    assert daily_dose(dose(10, "mg", frequency=1, period=2, periodUnit="d")) == mg_per_day(5)


def test_frequency_max_counts_over_frequency() -> None:
    assert daily_dose(dose(10, "mg", frequency=1, frequencyMax=3, period=1, periodUnit="d")) == mg_per_day(30)


def test_weekly_dose_is_spread_over_seven_days() -> None:
    assert daily_dose(dose(15, "mg", frequency=1, period=1, periodUnit="wk")) == Quantity(
        Decimal("2.14285714"), "mg/d"
    )


def test_when_array_names_the_times_of_each_day() -> None:
    assert daily_dose(dose(10, "mg", when=["MORN", "EVE"])) == mg_per_day(20)
    assert daily_dose(dose(10, "mg", when=["MORN", "NIGHT"], period=1, periodUnit="d")) == mg_per_day(20)


def test_timing_code_bid_is_twice_a_day() -> None:
    d = dose(250, "mg")
    d["timing"] = {"code": {"coding": [{"code": "BID"}]}}
    assert daily_dose(d) == mg_per_day(500)


def test_dose_range_counts_its_high_end() -> None:
    d = {
        "doseAndRate": [
            {"doseRange": {"low": {"value": 5, "code": "mg"}, "high": {"value": 10, "code": "mg"}}}
        ],
        "timing": {"repeat": DAILY},
    }
    assert daily_dose(d) == mg_per_day(10)


def test_an_ordered_dose_wins_over_a_calculated_one() -> None:
    d = {
        "doseAndRate": [
            {"type": {"coding": [{"code": "calculated"}]}, "doseQuantity": {"value": 7, "code": "mg"}},
            {"type": {"coding": [{"code": "ordered"}]}, "doseQuantity": {"value": 5, "code": "mg"}},
        ],
        "timing": {"repeat": DAILY},
    }
    assert daily_dose(d) == mg_per_day(5)


def test_a_dose_already_per_day_needs_no_timing() -> None:
    assert daily_dose(dose(40, "mg/d")) == mg_per_day(40)


def test_a_dose_without_timing_is_not_computable() -> None:
    assert daily_dose(dose(10, "mg")) is None


def test_a_dose_per_kg_needs_the_weight() -> None:
    assert daily_dose(dose(1, "mg/kg", **DAILY)) is None
    assert daily_dose(dose(1, "mg/kg", **DAILY), DoseInputs(weight_kg=Decimal(72))) == mg_per_day(72)
    assert daily_dose(dose(2, "mg/kg/d"), DoseInputs(weight_kg=Decimal(50))) == mg_per_day(100)


def test_a_dose_per_body_surface_is_not_computed() -> None:
    assert daily_dose(dose(500, "mg/m2", **DAILY), DoseInputs(weight_kg=Decimal(70))) is None


def test_tablets_need_the_strength() -> None:
    assert daily_dose(dose(2, "{tablet}", **DAILY)) is None
    five_mg = Strength(Decimal(5), Decimal(1), "1")
    assert daily_dose(dose(2, "{tablet}", **DAILY), DoseInputs(strength=five_mg)) == mg_per_day(10)


def test_a_dose_without_unit_counts_pieces_of_the_product() -> None:
    d = {"doseAndRate": [{"doseQuantity": {"value": 1}}], "timing": {"repeat": DAILY}}
    assert daily_dose(d) is None
    assert daily_dose(d, DoseInputs(strength=Strength(Decimal(5), Decimal(1), "1"))) == mg_per_day(5)
    assert daily_dose({**d, "doseAndRate": [{"doseQuantity": {"value": 2, "unit": "puff"}}]}) is None


def test_millilitres_use_a_strength_per_millilitre() -> None:
    per_ml = Strength(Decimal(25), Decimal(1), "mL")
    assert daily_dose(
        dose(Decimal("0.6"), "mL", frequency=1, period=1, periodUnit="wk"), DoseInputs(strength=per_ml)
    ) == (Quantity(Decimal("2.14285714"), "mg/d"))


def test_international_units_keep_their_unit() -> None:
    assert daily_dose(dose(5000, "[iU]", frequency=2, period=1, periodUnit="d")) == Quantity(
        Decimal(10000), "[iU]/d"
    )


def test_a_continuous_rate_is_read_per_day() -> None:
    d = {"doseAndRate": [{"rateQuantity": {"value": 2, "code": "mg/h"}}]}
    assert daily_dose(d) == mg_per_day(48)


def test_free_text_fills_what_the_structure_leaves_out() -> None:
    assert daily_dose({"text": "10 mg twice daily"}) == mg_per_day(20)
    assert daily_dose({"text": "500 mg every 8 hours"}) == mg_per_day(1500)
    assert daily_dose({"text": "20 mg every other day"}) == mg_per_day(10)
    with_amount = dose(5, "mg")
    with_amount["text"] = "5 mg three times a day"
    assert daily_dose(with_amount) == mg_per_day(15)


def test_free_text_with_two_amounts_or_a_dose_per_kg_is_not_read() -> None:
    assert daily_dose({"text": "10 mg in the morning and 5 mg at night"}) is None
    assert daily_dose({"text": "2 mg/kg daily"}) is None


@given(
    st.integers(min_value=1, max_value=2000),
    st.integers(min_value=1, max_value=6),
    st.sampled_from([("h", 24), ("d", 1)]),
    st.integers(min_value=1, max_value=4),
)
def test_daily_dose_is_amount_times_events_per_day(
    amount: int, frequency: int, unit: tuple[str, int], period: int
) -> None:
    per_day_of_unit = Decimal(unit[1])
    expected = Decimal(amount) * Decimal(frequency) * per_day_of_unit / Decimal(period)
    got = daily_dose(dose(amount, "mg", frequency=frequency, period=period, periodUnit=unit[0]))
    assert got is not None and got.unit == "mg/d"
    assert abs(got.value - expected) < Decimal("0.00000001")


# ------------------------------------------------------------------------------------ strength
def test_a_product_name_states_its_strength() -> None:
    assert dosage.text_strength(["prednisone 5 MG Oral Tablet"]) == Strength(Decimal(5), Decimal(1), "1")
    assert dosage.text_strength(["methotrexate 25 MG/ML Injectable Solution"]) == Strength(
        Decimal(25), Decimal(1), "mL"
    )


def test_a_combination_product_states_no_single_strength() -> None:
    assert dosage.text_strength(["amlodipine 5 MG / benazepril 10 MG Oral Capsule"]) is None


def test_an_ingredient_strength_ratio_is_read() -> None:
    ratio = {"numerator": {"value": 4, "code": "mg"}, "denominator": {"value": 1, "code": "{tablet}"}}
    assert dosage.ratio_strength(ratio) == Strength(Decimal(4), Decimal(1), "1")


# -------------------------------------------------------------------------------------- phases
def period(low: str | None, high: str | None, high_closed: bool = True) -> Interval:
    return Interval(fhir_datetime(low), fhir_datetime(high), low is not None, high_closed, "DateTime")


def spans(found: list[dosage.Phase]) -> list[tuple[str | None, str | None, bool, Quantity | None]]:
    def text(v: Any) -> str | None:
        return None if v is None else f"{v.year:04d}-{v.month:02d}-{v.day:02d}"

    return [
        (text(p.period.low), text(p.period.high), p.period.high_closed, p.daily)
        for p in found
        if p.period is not None
    ]


def test_dosages_without_bounds_are_taken_together_over_the_whole_period() -> None:
    morning, evening = dose(10, "mg", when=["MORN"]), dose(5, "mg", when=["EVE"])
    found = phases([morning, evening], period("2026-01-01", None), DoseInputs())
    assert spans(found) == [("2026-01-01", None, True, mg_per_day(15))]


def test_bounded_dosages_are_successive_phases() -> None:
    first = dose(1000, "mg", boundsPeriod={"start": "2026-10-01", "end": "2026-10-03"}, **DAILY)
    second = dose(60, "mg", boundsPeriod={"start": "2026-10-04"}, **DAILY)
    found = phases([second, first], period("2026-10-01", None), DoseInputs())
    assert spans(found) == [
        ("2026-10-01", "2026-10-03", True, mg_per_day(1000)),
        ("2026-10-04", None, True, mg_per_day(60)),
    ]


def test_bounds_durations_follow_each_other_in_sequence_order() -> None:
    pulse = dose(500, "mg", boundsDuration={"value": 3, "code": "d"}, **DAILY)
    pulse["sequence"] = 1
    taper = dose(40, "mg", **DAILY)
    taper["sequence"] = 2
    found = phases([taper, pulse], period("2026-10-01", "2026-12-31"), DoseInputs())
    assert spans(found) == [
        ("2026-10-01", "2026-10-04", False, mg_per_day(500)),
        ("2026-10-04", "2026-12-31", True, mg_per_day(40)),
    ]


def test_successive_phases_without_any_date_cannot_say_which_dose_applies() -> None:
    one, two = dose(10, "mg", **DAILY), dose(20, "mg", **DAILY)
    one["sequence"], two["sequence"] = 1, 2
    assert spans(phases([one, two], period("2026-01-01", None), DoseInputs())) == [
        ("2026-01-01", None, True, None)
    ]


def test_no_dosage_is_one_phase_without_dose() -> None:
    assert spans(phases([], period("2026-01-01", "2026-02-01"), DoseInputs())) == [
        ("2026-01-01", "2026-02-01", True, None)
    ]


def test_a_phase_with_no_end_and_no_period_has_an_unknown_end() -> None:
    bounded = dose(10, "mg", boundsPeriod={"start": "2026-01-01"}, **DAILY)
    (phase,) = phases([bounded], None, DoseInputs())
    assert phase.period is not None and (phase.period.high, phase.period.high_closed) == (None, False)
