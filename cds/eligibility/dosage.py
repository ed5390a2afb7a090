"""Daily dose from FHIR R4 Dosage (MedicationStatement.dosage, MedicationRequest.dosageInstruction):
how much of a drug a patient takes per day, in mg/d when the dose is a mass (CRITERIA.md rules 7
and 10).

    >>> twice = {"doseAndRate": [{"doseQuantity": {"value": 10, "code": "mg"}}],
    ...          "timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d"}}}
    >>> daily_dose(twice)
    Quantity(20, 'mg/d')

Readings, chosen so that a threshold the instruction can reach is seen (a pulse, a taper above
20 mg/day) rather than missed:
- doseRange counts by its high end, frequencyMax over frequency, period over periodMax.
- A dose per kg needs the body weight; a dose per m2 (body surface) is not computed; a dose counted
  in tablets or millilitres needs the product's strength (a contained Medication's ingredient, or
  "5 MG" / "25 MG/ML" in its name). A dose of the drug in units (heparins) keeps its unit.
- Structured fields win; Dosage.text is read only for what they leave out ("10 mg twice daily").
Anything else unknown gives no dose (None), never a guess.

Several Dosage entries with the same sequence and bounds are taken together (a morning and an
evening dose add up); entries with different bounds or sequence numbers are successive phases
(a taper, a pulse then a maintenance dose), each with its own period.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ..cql.values import temporal, ucum
from ..cql.values.interval import Interval
from ..cql.values.quantity import Quantity

Json = dict[str, Any]
UCUM_SYSTEM = "http://unitsofmeasure.org"

# Units written for people rather than in UCUM, as FHIR data often carries them in Quantity.unit.
_UNIT_WORDS = {
    "mcg": "ug",
    "µg": "ug",
    "μg": "ug",
    "microgram": "ug",
    "micrograms": "ug",
    "milligram": "mg",
    "milligrams": "mg",
    "gram": "g",
    "grams": "g",
    "ml": "mL",
    "millilitre": "mL",
    "milliliter": "mL",
    "iu": "[iU]",
    "[iu]": "[iU]",
    "u": "U",  # not UCUM's atomic mass unit
    "unit": "U",
    "units": "U",
}
# Dose units that count pieces of the product (tablets, capsules): a dose only with the strength.
_COUNT_WORDS = {"1", "tablet", "tablets", "tab", "tabs", "tbl", "capsule", "capsules", "cap", "caps", "each"}
# Amounts of the drug itself that are not masses (heparins, some biologics).
_DRUG_UNITS = {"U", "[iU]", "[IU]"}
_DAYS_PER_PERIOD_UNIT = {
    "s": Decimal(1) / Decimal(86400),
    "min": Decimal(1) / Decimal(1440),
    "h": Decimal(1) / Decimal(24),
    "d": Decimal(1),
    "wk": Decimal(7),
    "mo": Decimal("30.4375"),  # UCUM's mean Julian month
    "a": Decimal("365.25"),
}
# HL7 TimingAbbreviation codes (Timing.code), as administrations per day.
_TIMING_CODES = {
    "QD": Decimal(1),
    "AM": Decimal(1),
    "PM": Decimal(1),
    "BED": Decimal(1),
    "BID": Decimal(2),
    "TID": Decimal(3),
    "QID": Decimal(4),
    "QOD": Decimal("0.5"),
    "Q1H": Decimal(24),
    "Q2H": Decimal(12),
    "Q3H": Decimal(8),
    "Q4H": Decimal(6),
    "Q6H": Decimal(4),
    "Q8H": Decimal(3),
    "WK": Decimal(1) / Decimal(7),
    "MO": Decimal(1) / _DAYS_PER_PERIOD_UNIT["mo"],
}
_PLACES = Decimal("0.00000001")  # CQL Decimal keeps 8 decimal places


@dataclass(frozen=True, slots=True)
class Strength:
    """Drug per unit of the product: `amount_mg` mg in `per` `per_unit` ('1' = one tablet)."""

    amount_mg: Decimal
    per: Decimal
    per_unit: str


@dataclass(frozen=True, slots=True)
class DoseInputs:
    """What a dose may need besides the Dosage: the patient's weight and the product's strength."""

    weight_kg: Decimal | None = None
    strength: Strength | None = None
    # The product's name, read for a strength ("5 MG") only when a dose counts tablets or millilitres.
    names: tuple[str, ...] = ()

    def product_strength(self) -> Strength | None:
        return self.strength or text_strength(self.names)


@dataclass(frozen=True, slots=True)
class Phase:
    """One period of a dosing schedule and its daily dose (None when not computable)."""

    period: Interval | None
    daily: Quantity | None


# ---------------------------------------------------------------------------------------- units
def unit_of(quantity: Json) -> str | None:
    """The UCUM unit of a FHIR Quantity (its code, else its unit text read leniently); '1' for a
    count of tablets or capsules; None when there is none."""
    code = quantity.get("code") if quantity.get("system") in (None, UCUM_SYSTEM) else None
    for raw in (code, quantity.get("unit")):
        if isinstance(raw, str) and raw.strip():
            unit = _read_unit(raw.strip())
            if unit is not None:
                return unit
    return None


def _read_unit(raw: str) -> str | None:
    lowered = raw.lower()
    if lowered.strip("{}") in _COUNT_WORDS:
        return "1"
    if lowered in _UNIT_WORDS:
        return _UNIT_WORDS[lowered]
    # Lower case first: dose units are written "MG", "Mg", and "MG" in UCUM would be megagauss.
    for candidate in (lowered, raw):
        if ucum.is_valid(candidate):
            return candidate
    return None


def _converted(value: Decimal, unit: str, target: str) -> Decimal | None:
    if unit == "1" or not ucum.is_commensurable(unit, target):
        return None
    return ucum.convert(value, unit, target)


def _obj(parent: Json, key: str) -> Json:
    """A child JSON object, or an empty one when absent or malformed."""
    child = parent.get(key)
    return child if isinstance(child, dict) else {}


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return None


def _places(value: Decimal) -> Decimal:
    exponent = value.as_tuple().exponent
    return value.quantize(_PLACES) if isinstance(exponent, int) and exponent < -8 else value


# ------------------------------------------------------------------------------- one administration
def amount(value: Decimal, unit: str, inputs: DoseInputs) -> tuple[Decimal, str] | None:
    """One administration as (value, unit): a mass in mg, a drug unit as is; a per-day amount
    keeps its '/d'. None when the drug amount cannot be known."""
    for target in ("mg", "mg/d"):
        mg = _converted(value, unit, target)
        if mg is not None:
            return mg, target
    for target in ("mg/kg", "mg/kg/d"):
        per_kg = _converted(value, unit, target)
        if per_kg is not None:
            if inputs.weight_kg is None:
                return None
            return per_kg * inputs.weight_kg, target.replace("/kg", "")
    if unit in _DRUG_UNITS:
        return value, unit
    strength = inputs.product_strength()
    if strength is None:
        return None
    pieces = value if unit == strength.per_unit == "1" else _converted(value, unit, strength.per_unit)
    if pieces is None:
        return None
    return pieces * strength.amount_mg / strength.per, "mg"


def _dose_quantity(dosage: Json) -> Json | None:
    """The dose of a Dosage: an `ordered` doseAndRate before a `calculated` one; a range's high."""
    entries = [e for e in dosage.get("doseAndRate") or () if isinstance(e, dict)]
    if len(entries) > 1:
        entries.sort(key=lambda e: 0 if "ordered" in str(e.get("type")) else 1)
    for entry in entries:
        if isinstance(entry.get("doseQuantity"), dict):
            return dict(entry["doseQuantity"])
        high = (entry.get("doseRange") or {}).get("high")
        if isinstance(high, dict):
            return dict(high)
    return None


def _rate_per_day(dosage: Json, inputs: DoseInputs) -> tuple[Decimal, str] | None:
    """A continuous rate (rateQuantity, rateRatio) as an amount per day."""
    for entry in dosage.get("doseAndRate") or ():
        if not isinstance(entry, dict):
            continue
        rate = entry.get("rateQuantity")
        if isinstance(rate, dict):
            value, unit = _decimal(rate.get("value")), unit_of(rate)
        elif isinstance(entry.get("rateRatio"), dict):
            num, den = entry["rateRatio"].get("numerator") or {}, entry["rateRatio"].get("denominator") or {}
            nv, dv, nu, du = (
                _decimal(num.get("value")),
                _decimal(den.get("value")),
                unit_of(num),
                unit_of(den),
            )
            if nv is None or not dv or nu is None or du is None:
                continue
            value, unit = nv / dv, f"{nu}/{du}"
        else:
            continue
        if value is None or unit is None or not ucum.is_valid(unit):
            continue
        per_day = _converted(value, unit, "mg/d")
        if per_day is not None:
            return per_day, "mg/d"
    return None


# --------------------------------------------------------------------------------- how often
def per_day(timing: Json | None) -> Decimal | None:
    """Administrations per day from a FHIR Timing (repeat, else its code); None when not said."""
    if not isinstance(timing, dict):
        return None
    repeat = _obj(timing, "repeat")
    frequency = _decimal(repeat.get("frequencyMax")) or _decimal(repeat.get("frequency"))
    times = len(repeat.get("when") or ()) or len(repeat.get("timeOfDay") or ())
    period, unit = _decimal(repeat.get("period")), repeat.get("periodUnit")
    if period and unit in _DAYS_PER_PERIOD_UNIT:
        events = max(frequency or Decimal(1), Decimal(times))
        return events / (period * _DAYS_PER_PERIOD_UNIT[unit])
    if times:
        # `when` / `timeOfDay` without a period name times of each day.
        return Decimal(times)
    code = _obj(timing, "code")
    for coding in code.get("coding") or ():
        found = _TIMING_CODES.get(str(coding.get("code", "")).upper())
        if found is not None:
            return found
    return text_per_day(code.get("text"))


_TEXT_FREQUENCIES: tuple[tuple[re.Pattern[str], Decimal | None], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), value)
    for pattern, value in (
        (r"\b(?:every|q)\s*(\d+)\s*(?:hours?|hrs?|h)\b", None),  # every N hours: 24 / N
        (r"\b(?:every other day|alternate days|qod)\b", Decimal("0.5")),
        (r"\b(?:weekly|once a week|every week|per week)\b", Decimal(1) / Decimal(7)),
        (r"\b(?:monthly|once a month|every month)\b", Decimal(1) / _DAYS_PER_PERIOD_UNIT["mo"]),
        (r"\b(?:four times|4 times|4x)\b|\bqid\b|\bqds\b", Decimal(4)),
        (r"\b(?:three times|3 times|3x)\b|\btid\b|\btds\b", Decimal(3)),
        (r"\b(?:twice|two times|2 times|2x)\b|\bbid\b|\bbd\b|\bb\.i\.d\b", Decimal(2)),
        (
            r"\b(?:once|daily|a day|per day|every day|every morning|every evening|nightly|at night)\b"
            r"|\bqd\b|\bod\b|\bqam\b|\bqhs\b",
            Decimal(1),
        ),
    )
)
_TEXT_AMOUNT = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(mg|g|mcg|ug|µg|tablets?|tabs?|capsules?|caps?)(?![a-z/])", re.IGNORECASE
)


def text_per_day(text: Any) -> Decimal | None:
    """Administrations per day from free text ("twice daily", "every 8 hours", "weekly")."""
    if not isinstance(text, str):
        return None
    for pattern, value in _TEXT_FREQUENCIES:
        match = pattern.search(text)
        if match is None:
            continue
        if value is None:
            hours = int(match.group(1))
            return Decimal(24) / Decimal(hours) if hours else None
        return value
    return None


def text_amount(text: Any) -> tuple[Decimal, str] | None:
    """The one dose amount a free text names ("10 mg", "2 tablets"); None if none or several."""
    if not isinstance(text, str):
        return None
    found = {(Decimal(v.replace(",", ".")), _read_unit(u) or u) for v, u in _TEXT_AMOUNT.findall(text)}
    return found.pop() if len(found) == 1 else None


# ---------------------------------------------------------------------------------- daily dose
def daily_dose(dosage: Json, inputs: DoseInputs | None = None) -> Quantity | None:
    """The daily dose one Dosage instructs: mg/d for masses, '<unit>/d' for drug units."""
    inputs = inputs or DoseInputs()
    given = _dose_quantity(dosage)
    raw: tuple[Decimal, str] | None = None
    if given is not None:
        # A value with no unit at all counts pieces of the product (UCUM's '1'), as Synthea writes
        # "1" tablet of a clinical drug; an unknown unit ("puff") stays unknown.
        unitless = not given.get("unit") and not given.get("code")
        value, unit = _decimal(given.get("value")), "1" if unitless else unit_of(given)
        raw = (value, unit) if value is not None and unit is not None else None
    elif dosage.get("doseAndRate"):
        rate = _rate_per_day(dosage, inputs)
        if rate is not None:
            return Quantity(_places(rate[0]), rate[1])
    if raw is None:
        raw = text_amount(dosage.get("text"))
    if raw is None:
        return None
    dose = amount(raw[0], raw[1], inputs)
    if dose is None:
        return None
    value, unit = dose
    if unit.endswith("/d"):
        return Quantity(_places(value), unit)
    times = per_day(dosage.get("timing")) or text_per_day(dosage.get("text"))
    if times is None:
        return None
    return Quantity(_places(value * times), f"{unit}/d")


def total(doses: Sequence[Quantity | None]) -> Quantity | None:
    """Doses taken together (morning and evening): their sum, None if any is unknown."""
    if len(doses) == 1:
        return doses[0]
    if not doses or any(d is None for d in doses):
        return None
    units = {d.unit for d in doses if d is not None}
    if len(units) != 1:
        return None
    return Quantity(_places(sum((d.value for d in doses if d is not None), Decimal(0))), units.pop())


# ------------------------------------------------------------------------------------ strength
_TEXT_STRENGTH = re.compile(
    r"(\d+(?:\.\d+)?)\s*(mg|g|mcg|ug)\b(?:\s*/\s*(\d+(?:\.\d+)?)?\s*(ml)\b)?", re.IGNORECASE
)


def text_strength(texts: Sequence[str | None]) -> Strength | None:
    """The strength a product name states ("prednisone 5 MG Oral Tablet", "25 MG/ML"); None when
    it states none or several (a combination product)."""
    found: set[Strength] = set()
    for text in texts:
        for value, unit, per, per_unit in _TEXT_STRENGTH.findall(text or ""):
            mg = _converted(Decimal(value), _read_unit(unit) or unit, "mg")
            if mg is not None:
                found.add(Strength(mg, Decimal(per or 1), "mL" if per_unit else "1"))
    return found.pop() if len(found) == 1 else None


def ratio_strength(strength: Json) -> Strength | None:
    """Medication.ingredient.strength (a Ratio: mg per tablet, mg per mL) as a Strength."""
    num, den = strength.get("numerator") or {}, strength.get("denominator") or {}
    value, per = _decimal(num.get("value")), _decimal(den.get("value")) or Decimal(1)
    unit, per_unit = unit_of(num), unit_of(den) or "1"
    if value is None or unit is None:
        return None
    mg = _converted(value, unit, "mg")
    return Strength(mg, per, per_unit) if mg is not None else None


# -------------------------------------------------------------------------------------- phases
@dataclass(frozen=True, slots=True)
class _Bounds:
    sequence: int
    start: str | None
    end: str | None
    duration: tuple[Decimal, str] | None

    @property
    def dated(self) -> bool:
        return bool(self.start or self.end or self.duration)


_CALENDAR = {
    "a": "year",
    "mo": "month",
    "wk": "week",
    "d": "day",
    "h": "hour",
    "min": "minute",
    "s": "second",
}


def _bounds(dosage: Json) -> _Bounds:
    repeat = _obj(_obj(dosage, "timing"), "repeat")
    period, duration = _obj(repeat, "boundsPeriod"), _obj(repeat, "boundsDuration")
    length, unit = _decimal(duration.get("value")), duration.get("code") or duration.get("unit")
    sequence = dosage.get("sequence")
    return _Bounds(
        sequence if isinstance(sequence, int) and not isinstance(sequence, bool) else 0,
        period.get("start") if isinstance(period.get("start"), str) else None,
        period.get("end") if isinstance(period.get("end"), str) else None,
        (length, _CALENDAR[unit]) if length is not None and unit in _CALENDAR else None,
    )


def fhir_datetime(text: str | None) -> temporal.DateTime | None:
    """A FHIR date or dateTime as a CQL DateTime (a date alone keeps day precision)."""
    if not text:
        return None
    return temporal.parse_datetime(text if "T" in text else text + "T")


def phases(dosages: Sequence[Json], period: Interval | None, inputs: DoseInputs) -> list[Phase]:
    """The schedule's phases, each with its period and daily dose.

    One phase without bounds is the whole `period` (CRITERIA.md rule 7). Bounds, when given, narrow
    it: each phase runs from its start (or the end of the one before) to its end (or the start of
    the next, or the end of `period`). Successive phases with no dates at all cannot say which dose
    applies when: one phase over `period` with no dose."""
    groups: dict[_Bounds, list[Quantity | None]] = {}
    for dosage in dosages:
        if isinstance(dosage, dict):
            groups.setdefault(_bounds(dosage), []).append(daily_dose(dosage, inputs))
    keys = sorted(groups, key=lambda b: (b.sequence, b.start or ""))
    if len(keys) > 1 and not any(k.dated for k in keys):
        return [Phase(period, None)]
    if len(keys) <= 1 and not (keys and keys[0].dated):
        return [Phase(period, total(groups[keys[0]]) if keys else None)]
    spans = _spans(keys, period)
    return [Phase(span, total(groups[key])) for key, span in zip(keys, spans, strict=True)]


def _spans(keys: Sequence[_Bounds], period: Interval | None) -> list[Interval]:
    starts: list[Any] = []
    ends: list[tuple[Any, bool]] = []
    cursor = period.low if period is not None else None
    for key in keys:
        start = fhir_datetime(key.start) or cursor
        end = fhir_datetime(key.end)
        if end is None and key.duration is not None and start is not None:
            # A phase of N days ends as the next day begins: half open.
            ends.append((temporal.add(start, key.duration[0], key.duration[1]), False))
        else:
            ends.append((end, True))
        starts.append(start)
        cursor = ends[-1][0]
    spans = []
    for i, start in enumerate(starts):
        high, closed = ends[i]
        if high is None and i + 1 < len(keys) and starts[i + 1] is not None:
            high, closed = starts[i + 1], False
        elif high is None and period is not None:
            high, closed = period.high, period.high_closed
        elif high is None:
            closed = False  # no end known: unknown, not ongoing
        spans.append(Interval(start, high, start is not None, closed, "DateTime"))
    return spans
