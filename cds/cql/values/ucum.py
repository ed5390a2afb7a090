"""UCUM unit expressions for CQL quantities: parse, validate, convert, multiply and divide units.

A unit string is parsed once (results are cached per string) into a numeric factor and a product of
unit terms; each term resolves through the table in `ucum_units.py` to an exact factor and a
dimension vector. Conversion between ratio units is exact (`Fraction` inside) and rounds once, at the
end, to 28 significant digits. Special units on non-ratio scales (Cel, [degF], [pH], ...) convert
through their scale functions but take no part in unit algebra.

>>> convert(Decimal("100"), "mg/dL", "g/L")
Decimal('1.00')
>>> multiply("cm", "cm"), divide("g/cm3", "g/cm3"), divide("g", "L")
('cm2', '1', 'g/L')
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext
from fractions import Fraction

from cds.cql.values.ucum_units import BASE_UNITS, PREFIXES, UNITS, Special, UnitDef

__all__ = [
    "DIMENSIONS",
    "UcumError",
    "canonical",
    "convert",
    "divide",
    "is_commensurable",
    "is_valid",
    "multiply",
    "normalize_for_compare",
    "validate",
]


class UcumError(ValueError):
    """A unit string that is not valid UCUM, or an operation UCUM does not allow on it."""


Dims = tuple[int, ...]

# One position per base unit, then one per arbitrary unit: an arbitrary unit ([iU], [arb'U], ...)
# is its own kind of quantity, so it must differ from every other unit, including 1.
DIMENSIONS: tuple[str, ...] = BASE_UNITS + tuple(u.code for u in UNITS if u.arbitrary)

_DEFS: dict[str, UnitDef] = {u.code: u for u in UNITS}
_METRIC: frozenset[str] = frozenset(BASE_UNITS) | {u.code for u in UNITS if u.metric}
_PREFIXES_LONGEST_FIRST = sorted(PREFIXES, key=len, reverse=True)
_RESULT = Context(prec=28, rounding=ROUND_HALF_EVEN)
_SCALE_DIGITS = 50  # working precision of logarithmic scales, well beyond the 28 of the result
_TERMINALS = "./(){}"
_EXPONENT = re.compile(r"(.*?)([+-]?[0-9]+)")


def _axis(code: str) -> Dims:
    index = DIMENSIONS.index(code)
    return tuple(1 if i == index else 0 for i in range(len(DIMENSIONS)))


def _scaled(dims: Dims, exponent: int) -> Dims:
    return tuple(d * exponent for d in dims)


def _added(a: Dims, b: Dims) -> Dims:
    return tuple(x + y for x, y in zip(a, b, strict=True))


_NONE: Dims = (0,) * len(DIMENSIONS)


# --- parsing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Term:
    """One unit symbol raised to a power: `symbol` is prefix and atom as written ('mg', '10*'),
    empty for a bare annotation; `annotation` is the braces text or ''."""

    symbol: str
    annotation: str
    exponent: int


@dataclass(frozen=True)
class _Product:
    """A parsed unit term: a positive rational number times unit terms, in written order."""

    number: Fraction
    terms: tuple[_Term, ...]

    def times(self, other: _Product) -> _Product:
        return _Product(self.number * other.number, self.terms + other.terms)

    def inverse(self) -> _Product:
        flipped = tuple(_Term(t.symbol, t.annotation, -t.exponent) for t in self.terms)
        return _Product(1 / self.number, flipped)


class _Parser:
    """Recursive descent over the UCUM grammar: main-term, term, component, annotatable."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, what: str) -> UcumError:
        return UcumError(f"'{self.text}' is not a valid UCUM unit: {what} (at position {self.pos})")

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def main_term(self) -> _Product:
        if self.peek() == "/":
            self.pos += 1
            product = self.term().inverse()
        else:
            product = self.term()
        if self.pos < len(self.text):
            raise self.fail(f"unexpected '{self.peek()}'")
        return product

    def term(self) -> _Product:
        product = self.component()
        while self.peek() in (".", "/"):
            operator = self.peek()
            self.pos += 1
            right = self.component()
            product = product.times(right if operator == "." else right.inverse())
        return product

    def component(self) -> _Product:
        if self.peek() == "(":
            self.pos += 1
            inner = self.term()
            if self.peek() != ")":
                raise self.fail("missing ')'")
            self.pos += 1
            return inner
        if self.peek() == "{":
            return _Product(Fraction(1), (_Term("", self.annotation(), 1),))
        return self.annotatable()

    def annotatable(self) -> _Product:
        start = self.pos
        token = self.symbol_token()
        if not token:
            raise self.fail("expected a unit")
        annotation = self.annotation() if self.peek() == "{" else ""
        if token.isdigit():
            if annotation or int(token) == 0:
                self.pos = start
                raise self.fail(f"'{token}' is not a valid factor")
            return _Product(Fraction(int(token)), ())
        symbol, exponent = _split_exponent(token)
        if _resolve(symbol) is None:
            self.pos = start
            raise self.fail(f"unknown unit symbol '{symbol}'")
        return _Product(Fraction(1), (_Term(symbol, annotation, exponent),))

    def symbol_token(self) -> str:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in _TERMINALS:
            if self.text[self.pos] == "[":
                close = self.text.find("]", self.pos)
                if close < 0:
                    raise self.fail("unclosed '['")
                self.pos = close + 1
            elif self.text[self.pos] == "]":
                raise self.fail("']' without '['")
            else:
                self.pos += 1
        return self.text[start : self.pos]

    def annotation(self) -> str:
        close = self.text.find("}", self.pos)
        if close < 0 or "{" in self.text[self.pos + 1 : close]:
            raise self.fail("unclosed '{'")
        start, self.pos = self.pos, close + 1
        return self.text[start : self.pos]


def _split_exponent(token: str) -> tuple[str, int]:
    """'cm2' -> ('cm', 2), '10*-3' -> ('10*', -3), 'mg' -> ('mg', 1)."""
    match = _EXPONENT.fullmatch(token)
    if match is None or not match.group(1):
        return token, 1
    return match.group(1), int(match.group(2))


@functools.lru_cache(maxsize=4096)
def _resolve(symbol: str) -> tuple[str, str] | None:
    """(prefix, atom) for a symbol; a whole atom wins over prefix + atom ('cd' is candela)."""
    if symbol in _DEFS or symbol in BASE_UNITS:
        return "", symbol
    for prefix in _PREFIXES_LONGEST_FIRST:
        atom = symbol[len(prefix) :]
        if symbol.startswith(prefix) and atom in _METRIC:
            return prefix, atom
    return None


def _parse(text: str) -> _Product:
    if not text:
        raise UcumError("'' is not a valid UCUM unit: the unit is empty (write '1' for no unit)")
    if any(not 33 <= ord(c) <= 126 for c in text):
        raise UcumError(f"'{text}' is not a valid UCUM unit: only printable ASCII without spaces is allowed")
    return _Parser(text).main_term()


# --- atoms and analysed units ------------------------------------------------------------------


@dataclass(frozen=True)
class _Atom:
    """A resolved unit atom. For a special unit, factor and dims are those of its ratio unit."""

    factor: Fraction
    dims: Dims
    special: Special | None


@functools.cache
def _atom(code: str) -> _Atom:
    if code in BASE_UNITS or _DEFS[code].arbitrary:
        return _Atom(Fraction(1), _axis(code), None)
    definition = _DEFS[code]
    reference = _ratio_unit(definition.unit)
    factor = reference.factor if definition.special else Fraction(definition.value) * reference.factor
    return _Atom(factor, reference.dims, definition.special)


@dataclass(frozen=True)
class _SpecialScale:
    """A (possibly prefixed) special unit: value -> ratio base units and back.

    `size` is the special's scale times the factor of its ratio unit; all numbers are parsed once.
    """

    code: str
    kind: str
    prefix: Fraction
    size: Fraction
    offset: Fraction
    radix: str
    exponent: Fraction

    @classmethod
    def of(cls, code: str, special: Special, prefix: Fraction, reference: Fraction) -> _SpecialScale:
        size = Fraction(special.scale) * reference
        offset, exponent = Fraction(special.offset), Fraction(special.exponent)
        return cls(code, special.kind, prefix, size, offset, special.radix, exponent)

    def to_base(self, value: Fraction) -> Fraction:
        w = value * self.prefix if self.prefix != 1 else value
        if self.kind == "offset":
            return (w + self.offset) * self.size
        if self.kind == "log":
            return _power(self.radix, w * self.exponent) * self.size
        raise UcumError(f"'{self.code}' is on a scale this module does not convert")

    def from_base(self, base: Fraction) -> Fraction:
        ratio = base / self.size
        if self.kind == "offset":
            w = ratio - self.offset
        elif self.kind == "log":
            if ratio <= 0:
                raise UcumError(f"'{self.code}' is a logarithmic scale: it has no value for {base} <= 0")
            w = _logarithm(self.radix, ratio) / self.exponent
        else:
            raise UcumError(f"'{self.code}' is on a scale this module does not convert")
        return w / self.prefix if self.prefix != 1 else w


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _power(radix: str, exponent: Fraction) -> Fraction:
    with localcontext(Context(prec=_SCALE_DIGITS)):
        x = _decimal(exponent)
        return Fraction(x.exp() if radix == "e" else Decimal(radix) ** x)


def _logarithm(radix: str, value: Fraction) -> Fraction:
    with localcontext(Context(prec=_SCALE_DIGITS)):
        x = _decimal(value)
        if radix == "10":
            return Fraction(x.log10())  # exact for powers of ten, as pH values need
        return Fraction(x.ln() if radix == "e" else x.ln() / Decimal(radix).ln())


@dataclass(frozen=True)
class _Unit:
    """An analysed unit string: number, merged terms, and factor/dims (or a special scale)."""

    number: Fraction
    terms: tuple[_Term, ...]
    factor: Fraction
    dims: Dims
    special: _SpecialScale | None

    @property
    def is_unity(self) -> bool:
        return self.number == 1 and not self.terms and self.special is None


def _merge(terms: Iterable[_Term]) -> tuple[_Term, ...]:
    """Sums the exponents of equal symbols (first appearance keeps its place); drops zeros."""
    exponents: dict[tuple[str, str], int] = {}
    for t in terms:
        key = (t.symbol, t.annotation)
        exponents[key] = exponents.get(key, 0) + t.exponent
    return tuple(_Term(s, a, e) for (s, a), e in exponents.items() if e != 0)


def _term_value(term: _Term) -> tuple[Fraction, Dims, Special | None]:
    if not term.symbol:
        return Fraction(1), _NONE, None
    resolved = _resolve(term.symbol)
    assert resolved is not None  # the parser has resolved every symbol it accepted
    prefix, code = resolved
    atom = _atom(code)
    factor = (Fraction(PREFIXES[prefix]) if prefix else Fraction(1)) * atom.factor
    return factor**term.exponent, _scaled(atom.dims, term.exponent), atom.special


def _analyse(text: str) -> _Unit:
    product = _parse(text)
    factor, dims = product.number, _NONE
    for term in product.terms:
        term_factor, term_dims, special = _term_value(term)
        if special is not None:
            return _special_unit(text, product, term)
        factor, dims = factor * term_factor, _added(dims, term_dims)
    return _Unit(product.number, _merge(product.terms), factor, dims, None)


def _special_unit(text: str, product: _Product, term: _Term) -> _Unit:
    if len(product.terms) != 1 or product.number != 1 or term.exponent != 1:
        raise UcumError(
            f"'{text}' is not a valid UCUM unit: special unit '{term.symbol}' is on a non-ratio scale "
            "and cannot be combined with other units or raised to a power"
        )
    prefix, code = _resolve(term.symbol) or ("", term.symbol)
    atom = _atom(code)
    assert atom.special is not None
    scale = _SpecialScale.of(
        term.symbol, atom.special, Fraction(PREFIXES[prefix]) if prefix else Fraction(1), atom.factor
    )
    return _Unit(Fraction(1), product.terms, atom.factor, atom.dims, scale)


def _ratio_unit(text: str) -> _Unit:
    unit = _unit(text)
    if unit.special is not None:
        raise UcumError(f"'{text}' is a special unit on a non-ratio scale: it has no factor to base units")
    return unit


@functools.lru_cache(maxsize=4096)
def _analysed(text: str) -> _Unit | str:
    # Errors are cached as their message so an invalid unit costs one lookup too.
    try:
        return _analyse(text)
    except UcumError as error:
        return str(error)


def _unit(text: str) -> _Unit:
    result = _analysed(text)
    if isinstance(result, str):
        raise UcumError(result)
    return result


# --- conversion --------------------------------------------------------------------------------


def _round(value: Fraction) -> Decimal:
    return _RESULT.divide(Decimal(value.numerator), Decimal(value.denominator))


def _terminating(value: Fraction) -> Decimal | None:
    """The exact decimal of a fraction whose denominator has no prime factor but 2 and 5."""
    twos = fives = 0
    rest = value.denominator
    while rest % 2 == 0:
        rest, twos = rest // 2, twos + 1
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    if rest != 1:
        return None
    digits = max(twos, fives)
    return Decimal(value.numerator * 10**digits // value.denominator).scaleb(-digits)


@dataclass(frozen=True)
class _Ratio:
    """Conversion between ratio units: one multiplication, exact until the final rounding."""

    fraction: Fraction
    exact: Decimal | None

    def apply(self, value: Decimal) -> Decimal:
        if self.exact is not None:
            return _RESULT.multiply(value, self.exact)
        return _round(Fraction(value) * self.fraction)


@dataclass(frozen=True)
class _Scales:
    """Conversion where a special unit takes part: value -> base units -> value."""

    source: _SpecialScale | Fraction
    target: _SpecialScale | Fraction

    def apply(self, value: Decimal) -> Decimal:
        v = Fraction(value)
        base = v * self.source if isinstance(self.source, Fraction) else self.source.to_base(v)
        if isinstance(self.target, Fraction):
            return _round(base / self.target)
        return _round(self.target.from_base(base))


def _dims_text(dims: Dims) -> str:
    """Dimensions written as a unit of base units, for messages: 'g/m3', '1'."""
    up = [f"{n}{e if e != 1 else ''}" for n, e in zip(DIMENSIONS, dims, strict=True) if e > 0]
    down = [f"{n}{-e if e != -1 else ''}" for n, e in zip(DIMENSIONS, dims, strict=True) if e < 0]
    return (".".join(up) or "1") + "".join(f"/{d}" for d in down)


def _incommensurable_reason(a: str, ua: _Unit, b: str, ub: _Unit) -> str | None:
    if ua.dims != ub.dims:
        return f"'{a}' measures {_dims_text(ua.dims)}, '{b}' measures {_dims_text(ub.dims)}"
    for text, unit in ((a, ua), (b, ub)):
        if unit.special is not None and unit.special.kind == "opaque":
            return f"'{text}' is on a scale this module does not convert"
    return None


@functools.lru_cache(maxsize=4096)
def _plan(from_unit: str, to_unit: str) -> _Ratio | _Scales:
    source, target = _unit(from_unit), _unit(to_unit)
    reason = _incommensurable_reason(from_unit, source, to_unit, target)
    if reason is not None:
        raise UcumError(f"cannot convert '{from_unit}' to '{to_unit}': {reason}")
    if source.special is None and target.special is None:
        ratio = source.factor / target.factor
        return _Ratio(ratio, _terminating(ratio))
    return _Scales(source.special or source.factor, target.special or target.factor)


# --- unit algebra ------------------------------------------------------------------------------


def _term_text(term: _Term, exponent: int) -> list[str]:
    if not term.symbol:  # a bare annotation has no exponent of its own, so it repeats
        return [term.annotation] * exponent
    return [f"{term.symbol}{exponent if exponent != 1 else ''}{term.annotation}"]


def _render(number: Fraction, terms: tuple[_Term, ...]) -> str:
    """The simplest UCUM text: numerator terms joined by '.', each denominator term after '/'."""
    up = [str(number.numerator)] if number.numerator != 1 else []
    down = [str(number.denominator)] if number.denominator != 1 else []
    for term in terms:
        (up if term.exponent > 0 else down).extend(_term_text(term, abs(term.exponent)))
    if not up and len(down) > 1:
        up = ["1"]  # a leading '/' would invert the whole rest: '/kg/d' means d/kg
    return ".".join(up) + "".join(f"/{d}" for d in down) if up or down else "1"


def _refuse_special(operation: str, a: str, ua: _Unit, b: str, ub: _Unit) -> None:
    for text, unit in ((a, ua), (b, ub)):
        if unit.special is not None:
            raise UcumError(
                f"cannot {operation} '{a}' and '{b}': '{text}' is a special unit on a non-ratio scale"
            )


# --- public interface --------------------------------------------------------------------------


def is_valid(unit: str) -> bool:
    """True when `unit` is a UCUM unit this module understands."""
    return not isinstance(_analysed(unit), str)


def validate(unit: str) -> None:
    """Raises UcumError naming the unit and what is wrong with it."""
    _unit(unit)


def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """`value` in `from_unit` expressed in `to_unit`, rounded to 28 significant digits.

    Raises UcumError when either unit is invalid or the two are not commensurable.

    >>> convert(Decimal("37"), "Cel", "[degF]")
    Decimal('98.6')
    """
    if from_unit == to_unit:
        validate(from_unit)
        return value
    return _plan(from_unit, to_unit).apply(value)


def is_commensurable(a: str, b: str) -> bool:
    """True when a value in `a` converts to `b`. Raises UcumError when either is invalid."""
    ua, ub = _unit(a), _unit(b)
    return a == b or _incommensurable_reason(a, ua, b, ub) is None


def canonical(unit: str) -> tuple[Fraction, tuple[int, ...]]:
    """Factor to base units and the dimension vector (positions named by DIMENSIONS).

    Raises UcumError for special units, which have no factor. Base units are m, g, s (not kg):

    >>> factor, dims = canonical("mg/dL")
    >>> factor, dims[:3]
    (Fraction(10, 1), (-3, 1, 0))
    """
    u = _ratio_unit(unit)
    return u.factor, u.dims


def normalize_for_compare(value: Decimal, unit: str) -> tuple[Decimal, tuple[int, ...]] | None:
    """`value` in base units with its dimensions, for equality and ordering; None for special units."""
    u = _unit(unit)
    if u.special is not None:
        return None
    return _to_base(value, unit), u.dims


@functools.lru_cache(maxsize=4096)
def _base_ratio(unit: str) -> _Ratio:
    factor = _ratio_unit(unit).factor
    return _Ratio(factor, _terminating(factor))


def _to_base(value: Decimal, unit: str) -> Decimal:
    return _base_ratio(unit).apply(value)


def multiply(a: str, b: str) -> str:
    """The unit of a product: 'm' * 'm' -> 'm2', 'g' * '1' -> 'g', 'g/L' * 'L' -> 'g'."""
    return _product_unit(a, b)


def divide(a: str, b: str) -> str:
    """The unit of a quotient: 'g' / 'L' -> 'g/L', 'g' / 'g' -> '1', '1' / 's' -> '/s'."""
    return _quotient_unit(a, b)


@functools.lru_cache(maxsize=4096)
def _product_unit(a: str, b: str) -> str:
    ua, ub = _unit(a), _unit(b)
    if ub.is_unity:
        return a
    if ua.is_unity:
        return b
    _refuse_special("multiply", a, ua, b, ub)
    return _render(ua.number * ub.number, _merge(ua.terms + ub.terms))


@functools.lru_cache(maxsize=4096)
def _quotient_unit(a: str, b: str) -> str:
    ua, ub = _unit(a), _unit(b)
    if ub.is_unity:
        return a
    _refuse_special("divide", a, ua, b, ub)
    inverse = _Product(ub.number, ub.terms).inverse()
    return _render(ua.number * inverse.number, _merge(ua.terms + inverse.terms))
