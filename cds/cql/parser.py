"""CQL text -> AST (cds.cql.ast), through the lark grammar in grammar.lark.

The LALR parser is built once per process (lark caches its tables on disk, keyed by the grammar's
hash); parse errors become CqlSyntaxError with line, column and a caret excerpt.
"""

from __future__ import annotations

import functools
import re
import tempfile
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from . import ast as a
from .errors import CqlSyntaxError, caret_excerpt

GRAMMAR = Path(__file__).with_name("grammar.lark")


class _ReservedWord(Exception):
    def __init__(self, token: Token) -> None:
        super().__init__(str(token))
        self.token = token


@functools.cache
def _reserved_words() -> frozenset[str]:
    """Keywords that are not identifiers: every word literal of the grammar except the ones listed in
    its `keyword_ident` rule (which the specification lets authors use as identifiers)."""
    text = GRAMMAR.read_text(encoding="utf-8")
    words = set(re.findall(r'"([A-Za-z]+)"', text))
    rule = text[text.index("!keyword_ident:") : text.index("// After")]
    allowed = set(re.findall(r'"([A-Za-z]+)"', rule))
    return frozenset(words - allowed)


def _check_identifier(token: Token) -> Token:
    # lark's contextual lexer lexes a keyword as an identifier where the keyword is not expected;
    # CQL reserves those words, so that is an error at the word itself.
    if token.value in _reserved_words():
        raise _ReservedWord(token)
    return token


@functools.cache
def _lark() -> Lark:
    cache = Path(tempfile.gettempdir()) / "trialcds-cql-grammar.cache"
    return Lark(
        GRAMMAR.read_text(encoding="utf-8"),
        parser="lalr",
        lexer="contextual",
        start=["start", "expression_only"],
        propagate_positions=True,
        maybe_placeholders=False,
        cache=str(cache),
        lexer_callbacks={"IDENTIFIER": _check_identifier},
    )


def parse_library(text: str, name_hint: str | None = None) -> a.Library:
    """Parse a whole library. `name_hint` names it in errors when it has no `library` header."""
    name = name_hint or _declared_name(text)
    library: a.Library = _build(_parse(text, "start", name), name)
    return library


_LIBRARY_NAME = re.compile(r'^\s*(?:/\*.*?\*/\s*|//[^\n]*\n\s*)*library\s+("[^"]+"|[A-Za-z_][\w.]*)', re.S)


def _declared_name(text: str) -> str | None:
    """The library's name from its header, for errors raised before the tree exists."""
    m = _LIBRARY_NAME.match(text)
    return m.group(1).strip('"') if m else None


def parse_expression(text: str) -> a.Expr:
    """Parse one expression (no library header), e.g. a conformance test or `trialcds cql -e`."""
    expr: a.Expr = _build(_parse(text, "expression_only", None), None)
    return expr


TOO_DEEP = "the CQL is nested too deeply for this engine; split it into defines"


def _build(tree: Any, name: str | None) -> Any:
    # The tree builder, like the passes after it, recurses per level of nesting: a few hundred
    # levels (thousands of chained `+`) reach Python's recursion limit.
    try:
        return _AstBuilder().transform(tree)
    except RecursionError:
        raise CqlSyntaxError(TOO_DEEP, library=name) from None
    except VisitError as exc:  # lark wraps what a rule's method raises (the limit may strike there)
        if isinstance(exc.orig_exc, RecursionError):
            raise CqlSyntaxError(TOO_DEEP, library=name) from None
        raise


def _parse(text: str, start: str, name: str | None) -> Any:
    try:
        return _lark().parse(text, start=start)
    except UnexpectedInput as exc:
        raise _syntax_error(exc, text, name) from None
    except _ReservedWord as exc:
        line, column = exc.token.line or 1, exc.token.column or 1
        raise CqlSyntaxError(
            f"unexpected {str(exc.token)!r}",
            library=name,
            line=line,
            column=column,
            source_excerpt=caret_excerpt(text, line, column),
        ) from None
    except (ValueError, CqlSyntaxError) as exc:  # raised by the transformer on malformed literals
        raise CqlSyntaxError(str(exc), library=name) from None


def _syntax_error(exc: UnexpectedInput, text: str, name: str | None) -> CqlSyntaxError:
    line, column = exc.line, exc.column
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream or 0
        found = repr(text[pos]) if pos < len(text) else "end of text"
        message = f"unexpected character {found}"
    elif isinstance(exc, UnexpectedEOF):
        message = "unexpected end of text"
        lines = text.splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
    elif isinstance(exc, UnexpectedToken):
        token = exc.token
        found = "end of text" if token.type == "$END" else repr(str(token))
        message = f"unexpected {found}"
        expected = sorted(_describe_terminal(t) for t in exc.accepts or exc.expected)
        if 0 < len(expected) <= 8:
            message += "; expected " + ", ".join(expected)
        if token.type == "$END":
            lines = text.splitlines() or [""]
            line, column = len(lines), len(lines[-1]) + 1
    else:  # pragma: no cover - lark raises only the three above
        message = str(exc)
    line = line if isinstance(line, int) and line > 0 else 1
    column = column if isinstance(column, int) and column > 0 else 1
    return CqlSyntaxError(
        message,
        library=name,
        line=line,
        column=column,
        source_excerpt=caret_excerpt(text, line, column),
    )


_TERMINAL_WORDS = {
    "IDENTIFIER": "an identifier",
    "QUOTED_IDENTIFIER": "a quoted identifier",
    "DELIMITED_IDENTIFIER": "an identifier",
    "STRING": "a string",
    "NUMBER": "a number",
    "LONG_NUMBER": "a number",
    "TEMPORAL": "a date/time",
    "LPAR": "'('",
    "RPAR": "')'",
    "LSQB": "'['",
    "RSQB": "']'",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "COMMA": "','",
    "COLON": "':'",
    "DOT": "'.'",
}


def _describe_terminal(name: str) -> str:
    if name in _TERMINAL_WORDS:
        return _TERMINAL_WORDS[name]
    if name.isalpha() and name.isupper():
        return repr(name.lower())
    return name


# ----------------------------------------------------------------------------------- string escapes
_ESCAPES = {"'": "'", '"': '"', "`": "`", "\\": "\\", "/": "/", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)")


def unescape(body: str) -> str:
    r"""Resolve CQL escapes in a string or quoted identifier body (quotes already removed).

    >>> unescape(r"it\'s \u0041\tb")
    "it's A\tb"
    """

    def one(m: re.Match[str]) -> str:
        e = m.group(1)
        if e[0] == "u" and len(e) == 5:
            return chr(int(e[1:], 16))
        if e in _ESCAPES:
            return _ESCAPES[e]
        raise ValueError(f"unknown escape \\{e}")

    return _ESCAPE_RE.sub(one, body)


def _pos(meta: Any) -> a.Pos:
    return a.Pos(getattr(meta, "line", 0) or 0, getattr(meta, "column", 0) or 0)


def _tpos(tok: Token) -> a.Pos:
    return a.Pos(tok.line or 0, tok.column or 0)


# ------------------------------------------------------------------------------------- tree -> AST
@v_args(meta=True)
class _AstBuilder(Transformer[Token, Any]):
    """Builds AST nodes bottom-up. Tagged tuples carry clause parts up to the rule that folds them."""

    # ----- terminals (called with the token only)
    @v_args(meta=False, inline=True)
    def QUOTED_IDENTIFIER(self, tok: Token) -> Token:
        return tok.update(value=unescape(tok[1:-1]))

    @v_args(meta=False, inline=True)
    def DELIMITED_IDENTIFIER(self, tok: Token) -> Token:
        return tok.update(value=unescape(tok[1:-1]))

    @v_args(meta=False, inline=True)
    def STRING(self, tok: Token) -> Token:
        return tok.update(value=unescape(tok[1:-1]))

    # ----- identifiers and keywords kept as tokens
    def keyword_ident(self, meta: Any, c: list[Token]) -> Token:
        return c[0]

    def any_keyword(self, meta: Any, c: list[Token]) -> Token:
        return c[0]

    def code_kw(self, meta: Any, c: list[Token]) -> Token:
        return c[0]

    def concept_kw(self, meta: Any, c: list[Token]) -> Token:
        return c[0]

    def qualified_identifier(self, meta: Any, c: list[Token]) -> str:
        return ".".join(str(t) for t in c)

    # ----- library
    def start(self, meta: Any, c: list[a.Library]) -> a.Library:
        return c[0]

    def expression_only(self, meta: Any, c: list[a.Expr]) -> a.Expr:
        return c[0]

    def library(self, meta: Any, c: list[Any]) -> a.Library:
        name = version = None
        parts: dict[str, list[Any]] = {
            k: [] for k in ("usings", "includes", "codesystems", "valuesets", "codes", "concepts")
        }
        parameters: list[a.ParameterDef] = []
        expressions: list[a.ExpressionDef] = []
        functions: list[a.FunctionDef] = []
        contexts: list[str] = []
        context = "Unfiltered"
        for item in c:
            if isinstance(item, tuple) and item[0] == "library":
                name, version = item[1], item[2]
            elif isinstance(item, tuple) and item[0] == "context":
                context = item[1]
                contexts.append(context)
            elif isinstance(item, a.UsingDef):
                parts["usings"].append(item)
            elif isinstance(item, a.IncludeDef):
                parts["includes"].append(item)
            elif isinstance(item, a.CodeSystemDef):
                parts["codesystems"].append(item)
            elif isinstance(item, a.ValueSetDef):
                parts["valuesets"].append(item)
            elif isinstance(item, a.CodeDef):
                parts["codes"].append(item)
            elif isinstance(item, a.ConceptDef):
                parts["concepts"].append(item)
            elif isinstance(item, a.ParameterDef):
                parameters.append(item)
            elif isinstance(item, a.ExpressionDef):
                expressions.append(a.ExpressionDef(item.pos, item.name, item.expr, context, item.private))
            elif isinstance(item, a.FunctionDef):
                functions.append(
                    a.FunctionDef(
                        item.pos,
                        item.name,
                        item.operands,
                        item.return_type,
                        item.body,
                        item.fluent,
                        context,
                        item.private,
                    )
                )
        return a.Library(
            name=name,
            version=version,
            usings=tuple(parts["usings"]),
            includes=tuple(parts["includes"]),
            codesystems=tuple(parts["codesystems"]),
            valuesets=tuple(parts["valuesets"]),
            codes=tuple(parts["codes"]),
            concepts=tuple(parts["concepts"]),
            parameters=tuple(parameters),
            expressions=tuple(expressions),
            functions=tuple(functions),
            contexts=tuple(contexts),
        )

    def library_definition(self, meta: Any, c: list[Any]) -> tuple[str, str, str | None]:
        return ("library", c[0], str(c[1]) if len(c) > 1 else None)

    def using_definition(self, meta: Any, c: list[Any]) -> a.UsingDef:
        version = next((str(t) for t in c[1:] if isinstance(t, Token) and t.type == "STRING"), None)
        alias = next((str(t) for t in c[1:] if isinstance(t, Token) and t.type != "STRING"), None)
        return a.UsingDef(_pos(meta), c[0], version, alias)

    def include_definition(self, meta: Any, c: list[Any]) -> a.IncludeDef:
        version = next((str(t) for t in c[1:] if isinstance(t, Token) and t.type == "STRING"), None)
        alias = next((str(t) for t in c[1:] if isinstance(t, Token) and t.type != "STRING"), None)
        path: str = c[0]
        return a.IncludeDef(_pos(meta), path, version, alias or path.split(".")[-1])

    def access(self, meta: Any, c: list[Token]) -> tuple[str, bool]:
        return ("access", str(c[0]) == "private")

    @staticmethod
    def _split_access(c: list[Any]) -> tuple[bool, list[Any]]:
        if c and isinstance(c[0], tuple) and c[0][0] == "access":
            return bool(c[0][1]), c[1:]
        return False, c

    def parameter_definition(self, meta: Any, c: list[Any]) -> a.ParameterDef:
        private, c = self._split_access(c)
        type_spec = next((x for x in c[1:] if isinstance(x, _TYPE_SPECS)), None)
        default = next((x for x in c[1:] if not isinstance(x, _TYPE_SPECS)), None)
        return a.ParameterDef(_pos(meta), str(c[0]), type_spec, default, private)

    def codesystem_definition(self, meta: Any, c: list[Any]) -> a.CodeSystemDef:
        private, c = self._split_access(c)
        return a.CodeSystemDef(_pos(meta), str(c[0]), str(c[1]), str(c[2]) if len(c) > 2 else None, private)

    def codesystems(self, meta: Any, c: list[str]) -> tuple[str, tuple[str, ...]]:
        return ("codesystems", tuple(c))

    def valueset_definition(self, meta: Any, c: list[Any]) -> a.ValueSetDef:
        private, c = self._split_access(c)
        version = str(c[2]) if len(c) > 2 and isinstance(c[2], Token) else None
        systems: tuple[str, ...] = next(
            (x[1] for x in c if isinstance(x, tuple) and x[0] == "codesystems"), ()
        )
        refs = tuple(_qualified_name(_pos(meta), s) for s in systems)
        return a.ValueSetDef(_pos(meta), str(c[0]), str(c[1]), version, refs, private)

    def display_clause(self, meta: Any, c: list[Token]) -> tuple[str, str]:
        return ("display", str(c[0]))

    def code_definition(self, meta: Any, c: list[Any]) -> a.CodeDef:
        private, c = self._split_access(c)
        display = c[3][1] if len(c) > 3 else None
        system = _qualified_name(_pos(meta), c[2])
        return a.CodeDef(_pos(meta), str(c[0]), str(c[1]), system, display, private)

    def concept_definition(self, meta: Any, c: list[Any]) -> a.ConceptDef:
        private, c = self._split_access(c)
        display = c[-1][1] if isinstance(c[-1], tuple) else None
        codes = tuple(_qualified_name(_pos(meta), x) for x in c[1:] if isinstance(x, str))
        return a.ConceptDef(_pos(meta), str(c[0]), codes, display, private)

    def expression_definition(self, meta: Any, c: list[Any]) -> a.ExpressionDef:
        private, c = self._split_access(c)
        return a.ExpressionDef(_tpos(c[0]), str(c[0]), c[1], "Unfiltered", private)

    def context_definition(self, meta: Any, c: list[str]) -> tuple[str, str]:
        return ("context", c[0].split(".")[-1])

    def fluent(self, meta: Any, c: list[Token]) -> tuple[str]:
        return ("fluent",)

    def returns(self, meta: Any, c: list[a.TypeSpec]) -> tuple[str, a.TypeSpec]:
        return ("returns", c[0])

    def function_body(self, meta: Any, c: list[Any]) -> tuple[str, a.Expr | None]:
        body = c[0]
        if isinstance(body, Token) and body.type == "EXTERNAL":
            return ("body", None)
        return ("body", body)

    def operand_definition(self, meta: Any, c: list[Any]) -> a.OperandDef:
        return a.OperandDef(_pos(meta), str(c[0]), c[1])

    def function_definition(self, meta: Any, c: list[Any]) -> a.FunctionDef:
        private, c = self._split_access(c)
        fluent = bool(c and c[0] == ("fluent",))
        if fluent:
            c = c[1:]
        name = c[0]
        operands = tuple(x for x in c[1:] if isinstance(x, a.OperandDef))
        returns = next((x[1] for x in c if isinstance(x, tuple) and x[0] == "returns"), None)
        body = next(x[1] for x in c if isinstance(x, tuple) and x[0] == "body")
        return a.FunctionDef(_tpos(name), str(name), operands, returns, body, fluent, "Unfiltered", private)

    # ----- types
    def named_type(self, meta: Any, c: list[Token]) -> a.NamedTypeSpec:
        names = [str(t) for t in c]
        qualifier = ".".join(names[:-1]) or None
        return a.NamedTypeSpec(_pos(meta), names[-1], qualifier)

    def list_type(self, meta: Any, c: list[a.TypeSpec]) -> a.ListTypeSpec:
        return a.ListTypeSpec(_pos(meta), c[0])

    def interval_type(self, meta: Any, c: list[a.TypeSpec]) -> a.IntervalTypeSpec:
        return a.IntervalTypeSpec(_pos(meta), c[0])

    def tuple_element_definition(self, meta: Any, c: list[Any]) -> tuple[str, a.TypeSpec]:
        return (str(c[0]), c[1])

    def tuple_type(self, meta: Any, c: list[tuple[str, a.TypeSpec]]) -> a.TupleTypeSpec:
        return a.TupleTypeSpec(_pos(meta), tuple(c))

    def choice_type(self, meta: Any, c: list[a.TypeSpec]) -> a.ChoiceTypeSpec:
        return a.ChoiceTypeSpec(_pos(meta), tuple(c))

    # ----- operators
    def binary(self, meta: Any, c: list[Any]) -> a.Binary:
        left, op, right = c
        return a.Binary(_pos(meta), str(op), left, right)

    def membership(self, meta: Any, c: list[Any]) -> a.Binary:
        precision = c[2][1] if len(c) == 4 else None
        return a.Binary(_pos(meta), str(c[1]), c[0], c[-1], precision)

    def between(self, meta: Any, c: list[Any]) -> a.Between:
        properly = len(c) == 4
        return a.Between(_pos(meta), c[0], c[-2], c[-1], properly)

    def duration_between(self, meta: Any, c: list[Any]) -> a.DurationBetween:
        return a.DurationBetween(_pos(meta), str(c[0].children[0]), c[1], c[2], c[3])

    def plain_duration_between(self, meta: Any, c: list[Any]) -> a.DurationBetween:
        return a.DurationBetween(_pos(meta), "duration", c[0], c[1], c[2])

    def duration_of(self, meta: Any, c: list[Any]) -> a.DurationOf:
        return a.DurationOf(_pos(meta), str(c[0].children[0]), c[1], c[2])

    def plural_precision(self, meta: Any, c: list[Token]) -> str:
        return str(c[0])[:-1]  # years -> year

    def precision(self, meta: Any, c: list[Token]) -> str:
        return str(c[0])

    def precision_of(self, meta: Any, c: list[str]) -> tuple[str, str]:
        return ("precision", c[0])

    def dtc_extra(self, meta: Any, c: list[Token]) -> str:
        return str(c[0])

    def component_from(self, meta: Any, c: list[Any]) -> a.ComponentFrom:
        return a.ComponentFrom(_pos(meta), c[0], c[1])

    def prefix(self, meta: Any, c: list[Any]) -> a.Unary:
        return a.Unary(_pos(meta), str(c[0]), c[1])

    def polarity(self, meta: Any, c: list[Any]) -> a.Expr:
        sign, operand = str(c[0]), c[1]
        if sign == "+":
            expr: a.Expr = operand
            return expr
        # Fold the sign into numeric literals so that -2147483648 is a valid Integer literal.
        numeric = isinstance(operand, a.Literal) and operand.kind in ("integer", "long", "decimal")
        if numeric and not operand.text.startswith("-"):
            return a.Literal(_pos(meta), operand.kind, "-" + operand.text)
        if isinstance(operand, a.QuantityLiteral) and not operand.value.startswith("-"):
            return a.QuantityLiteral(_pos(meta), "-" + operand.value, operand.unit)
        return a.Unary(_pos(meta), "negate", operand)

    def boolean_test(self, meta: Any, c: list[Any]) -> a.BooleanTest:
        negated = len(c) == 3
        test = str(c[-1].children[0])
        return a.BooleanTest(_pos(meta), c[0], test, negated)

    def type_op(self, meta: Any, c: list[Any]) -> a.TypeOp:
        return a.TypeOp(_pos(meta), str(c[1]), c[0], c[2])

    def cast(self, meta: Any, c: list[Any]) -> a.TypeOp:
        return a.TypeOp(_pos(meta), "cast", c[0], c[1])

    def convert(self, meta: Any, c: list[Any]) -> a.Convert:
        target = c[1]
        if isinstance(target, Token):
            return a.Convert(_pos(meta), c[0], None, str(target))
        return a.Convert(_pos(meta), c[0], target, None)

    def type_extent(self, meta: Any, c: list[Any]) -> a.TypeExtent:
        return a.TypeExtent(_pos(meta), str(c[0]), c[1])

    def if_then_else(self, meta: Any, c: list[Any]) -> a.If:
        return a.If(_pos(meta), c[0], c[1], c[2])

    def case_item(self, meta: Any, c: list[Any]) -> a.CaseItem:
        return a.CaseItem(_pos(meta), c[0], c[1])

    def case(self, meta: Any, c: list[Any]) -> a.Case:
        comparand = None if isinstance(c[0], a.CaseItem) else c[0]
        items = tuple(x for x in c[:-1] if isinstance(x, a.CaseItem))
        return a.Case(_pos(meta), comparand, items, c[-1])

    def expand_collapse(self, meta: Any, c: list[Any]) -> a.ExpandCollapse:
        per = c[2] if len(c) > 2 else None
        return a.ExpandCollapse(_pos(meta), str(c[0]), c[1], per)

    # ----- terms
    def name(self, meta: Any, c: list[Token]) -> a.Name:
        return a.Name(_pos(meta), str(c[0]))

    def call(self, meta: Any, c: list[Any]) -> a.Call:
        args = tuple(c[1]) if len(c) > 1 else ()
        return a.Call(_pos(meta), str(c[0]), args)

    def param_list(self, meta: Any, c: list[a.Expr]) -> tuple[a.Expr, ...]:
        return tuple(c)

    def special_var(self, meta: Any, c: list[Token]) -> a.SpecialVar:
        return a.SpecialVar(_pos(meta), str(c[0])[1:])

    def member(self, meta: Any, c: list[Any]) -> a.Member:
        return a.Member(_pos(meta), c[0], str(c[1]))

    def method_call(self, meta: Any, c: list[Any]) -> a.MethodCall:
        args = tuple(c[2]) if len(c) > 2 else ()
        return a.MethodCall(_pos(meta), c[0], str(c[1]), args)

    def indexer(self, meta: Any, c: list[Any]) -> a.Indexer:
        return a.Indexer(_pos(meta), c[0], c[1])

    def external_constant(self, meta: Any, c: list[Token]) -> a.ExternalConstant:
        return a.ExternalConstant(_pos(meta), str(c[0]))

    # ----- literals
    def true_literal(self, meta: Any, c: list[Any]) -> a.Literal:
        return a.Literal(_pos(meta), "boolean", "true")

    def false_literal(self, meta: Any, c: list[Any]) -> a.Literal:
        return a.Literal(_pos(meta), "boolean", "false")

    def null_literal(self, meta: Any, c: list[Any]) -> a.Literal:
        return a.Literal(_pos(meta), "null", "null")

    def string_literal(self, meta: Any, c: list[Token]) -> a.Literal:
        return a.Literal(_pos(meta), "string", str(c[0]))

    def number_literal(self, meta: Any, c: list[Token]) -> a.Literal:
        text = str(c[0])
        return a.Literal(_pos(meta), "decimal" if "." in text else "integer", text)

    def long_literal(self, meta: Any, c: list[Token]) -> a.Literal:
        return a.Literal(_pos(meta), "long", str(c[0])[:-1])

    def temporal_literal(self, meta: Any, c: list[Token]) -> a.Literal:
        text = str(c[0])[1:]
        kind = "time" if text.startswith("T") else ("datetime" if "T" in text else "date")
        return a.Literal(_pos(meta), kind, text[1:] if kind == "time" else text)

    def quantity(self, meta: Any, c: list[Any]) -> a.QuantityLiteral:
        return a.QuantityLiteral(_pos(meta), str(c[0]), str(c[1]))

    def ratio(self, meta: Any, c: list[Any]) -> a.RatioLiteral:
        def q(x: Any) -> a.QuantityLiteral:
            if isinstance(x, a.QuantityLiteral):
                return x
            return a.QuantityLiteral(_tpos(x), str(x), "1")

        return a.RatioLiteral(_pos(meta), q(c[0]), q(c[1]))

    # ----- selectors
    def interval_selector(self, meta: Any, c: list[Any]) -> a.IntervalSelector:
        return a.IntervalSelector(_pos(meta), c[1], c[2], str(c[0]) == "[", str(c[3]) == "]")

    def tuple_element(self, meta: Any, c: list[Any]) -> tuple[str, a.Expr]:
        return (str(c[0]), c[1])

    def tuple_selector(self, meta: Any, c: list[Any]) -> a.TupleSelector:
        return a.TupleSelector(_pos(meta), tuple(x for x in c if isinstance(x, tuple)))

    def instance_selector(self, meta: Any, c: list[Any]) -> a.InstanceSelector:
        type_spec = _as_type_name(c[0])
        return a.InstanceSelector(_pos(meta), type_spec, tuple(x for x in c[1:] if isinstance(x, tuple)))

    def concept_instance_selector(self, meta: Any, c: list[Any]) -> a.InstanceSelector:
        return a.InstanceSelector(_pos(meta), a.NamedTypeSpec(_pos(meta), "Concept"), tuple(c))

    def list_selector(self, meta: Any, c: list[Any]) -> a.ListSelector:
        element_type = c[0] if c and isinstance(c[0], _TYPE_SPECS) else None
        elements = tuple(c[1:] if element_type is not None else c)
        return a.ListSelector(_pos(meta), element_type, elements)

    def code_selector(self, meta: Any, c: list[Any]) -> a.CodeSelector:
        display = c[2][1] if len(c) > 2 else None
        return a.CodeSelector(_pos(meta), str(c[0]), _qualified_name(_pos(meta), c[1]), display)

    def concept_selector(self, meta: Any, c: list[Any]) -> a.ConceptSelector:
        display = c[-1][1] if isinstance(c[-1], tuple) else None
        codes = tuple(x for x in c if isinstance(x, a.CodeSelector))
        return a.ConceptSelector(_pos(meta), codes, display)

    # ----- retrieve and query
    def retrieve(self, meta: Any, c: list[Any]) -> a.Retrieve:
        type_spec: a.NamedTypeSpec = c[0]
        if len(c) == 1:
            return a.Retrieve(_pos(meta), type_spec, None, None, None)
        term = c[1]
        if isinstance(term, a.Binary) and term.op in ("in", "=", "~") and term.precision is None:
            path = _simple_path(term.left)
            if path is not None:
                return a.Retrieve(_pos(meta), type_spec, path, term.op, term.right)
        return a.Retrieve(_pos(meta), type_spec, None, None, term)

    def aliased_source(self, meta: Any, c: list[Any]) -> a.AliasedSource:
        return a.AliasedSource(_pos(meta), c[0], str(c[1]))

    def source_clause(self, meta: Any, c: list[a.AliasedSource]) -> tuple[str, tuple[a.AliasedSource, ...]]:
        return ("sources", tuple(c))

    def let_item(self, meta: Any, c: list[Any]) -> a.LetItem:
        return a.LetItem(_pos(meta), str(c[0]), c[1])

    def let_clause(self, meta: Any, c: list[a.LetItem]) -> tuple[str, tuple[a.LetItem, ...]]:
        return ("lets", tuple(c))

    def with_clause(self, meta: Any, c: list[Any]) -> a.Inclusion:
        return a.Inclusion(_pos(meta), c[0], c[1], False)

    def without_clause(self, meta: Any, c: list[Any]) -> a.Inclusion:
        return a.Inclusion(_pos(meta), c[0], c[1], True)

    def where_clause(self, meta: Any, c: list[a.Expr]) -> tuple[str, a.Expr]:
        return ("where", c[0])

    def all_distinct(self, meta: Any, c: list[Token]) -> tuple[str, bool]:
        return ("distinct", str(c[0]) == "distinct")

    def return_clause(self, meta: Any, c: list[Any]) -> a.ReturnClause:
        distinct = c[0][1] if len(c) == 2 else True
        return a.ReturnClause(_pos(meta), c[-1], distinct)

    def starting_clause(self, meta: Any, c: list[a.Expr]) -> tuple[str, a.Expr]:
        return ("starting", c[0])

    def aggregate_clause(self, meta: Any, c: list[Any]) -> a.AggregateClause:
        distinct = False
        if isinstance(c[0], tuple) and c[0][0] == "distinct":
            distinct = c[0][1]
            c = c[1:]
        starting = next((x[1] for x in c if isinstance(x, tuple) and x[0] == "starting"), None)
        return a.AggregateClause(_pos(meta), str(c[0]), distinct, starting, c[-1])

    def sort_direction(self, meta: Any, c: list[Token]) -> tuple[str, bool]:
        return ("direction", str(c[0]).startswith("desc"))

    def sort_item(self, meta: Any, c: list[Any]) -> a.SortItem:
        descending = c[1][1] if len(c) > 1 else False
        return a.SortItem(_pos(meta), c[0], descending)

    def sort_clause(self, meta: Any, c: list[Any]) -> tuple[str, tuple[a.SortItem, ...]]:
        if len(c) == 1 and isinstance(c[0], tuple):
            return ("sort", (a.SortItem(_pos(meta), None, c[0][1]),))
        return ("sort", tuple(c))

    def query(self, meta: Any, c: list[Any]) -> a.Query:
        parts: dict[str, Any] = {}
        inclusions: list[a.Inclusion] = []
        returns = aggregate = None
        for item in c:
            if isinstance(item, a.Inclusion):
                inclusions.append(item)
            elif isinstance(item, a.ReturnClause):
                returns = item
            elif isinstance(item, a.AggregateClause):
                aggregate = item
            else:
                parts[item[0]] = item[1]
        return a.Query(
            _pos(meta),
            parts["sources"],
            parts.get("lets", ()),
            tuple(inclusions),
            parts.get("where"),
            returns,
            aggregate,
            parts.get("sort", ()),
        )

    # ----- timing phrases: parts arrive tagged, each phrase folds them into a TimingPhrase
    def seo(self, meta: Any, c: list[Token]) -> tuple[str, str | None]:
        word = str(c[0])
        return ("left", {"starts": "start", "ends": "end"}.get(word))

    def boundary(self, meta: Any, c: list[Token]) -> tuple[str, str]:
        return ("right", str(c[0]))

    def properly(self, meta: Any, c: list[Token]) -> tuple[str, bool]:
        return ("properly", True)

    def before_after(self, meta: Any, c: list[Token]) -> tuple[str, str]:
        return ("relation", str(c[0]))

    def same_relation(self, meta: Any, c: list[Token]) -> tuple[str, str]:
        words = [str(t) for t in c]
        return ("same", words[-1])  # as / after / before

    def relation(self, meta: Any, c: list[Any]) -> tuple[str, tuple[str, bool]]:
        tokens = [x for x in c if isinstance(x, Token)]
        rel = next(x[1] for x in c if isinstance(x, tuple))
        return ("relation", (rel, bool(tokens)))

    def or_more_less(self, meta: Any, c: list[Token]) -> str:
        return "or_" + str(c[1])

    def more_less_than(self, meta: Any, c: list[Token]) -> str:
        return str(c[0]) + "_than"

    def offset(self, meta: Any, c: list[Any]) -> tuple[str, tuple[a.QuantityLiteral, str]]:
        quantity = next(x for x in c if isinstance(x, a.QuantityLiteral))
        kind = next((x for x in c if isinstance(x, str)), "exact")
        return ("offset", (quantity, kind))

    @staticmethod
    def _phrase(meta: Any, kind: str, c: list[Any], **extra: Any) -> a.TimingPhrase:
        fields: dict[str, Any] = {"kind": kind, **extra}
        for item in c:
            if isinstance(item, a.QuantityLiteral):
                fields["offset"] = item
                continue
            if not isinstance(item, tuple):
                continue
            tag, value = item
            if tag == "relation" and isinstance(value, tuple):
                fields["relation"], fields["inclusive"] = value
            elif tag == "offset":
                fields["offset"], fields["offset_kind"] = value
            elif tag == "same":
                fields["relation"] = None if value == "as" else value
                fields["inclusive"] = value != "as"
            else:
                fields[tag] = value
        return a.TimingPhrase(_pos(meta), **fields)

    def same_phrase(self, meta: Any, c: list[Any]) -> a.TimingPhrase:
        c = [("precision", x) if isinstance(x, str) else x for x in c]
        return self._phrase(meta, "same", c)

    def includes_phrase(self, meta: Any, c: list[Any]) -> a.TimingPhrase:
        return self._phrase(meta, "includes", c)

    def included_in_phrase(self, meta: Any, c: list[Any]) -> a.TimingPhrase:
        return self._phrase(meta, "included_in", c)

    def before_after_phrase(self, meta: Any, c: list[Any]) -> a.TimingPhrase:
        return self._phrase(meta, "before_after", c)

    def within_phrase(self, meta: Any, c: list[Any]) -> a.TimingPhrase:
        return self._phrase(meta, "within", c)

    def meets_phrase(self, meta: Any, c: list[Any]) -> a.TimingPhrase:
        return self._phrase(meta, "meets", c)

    def overlaps_phrase(self, meta: Any, c: list[Any]) -> a.TimingPhrase:
        return self._phrase(meta, "overlaps", c)

    def starts_phrase(self, meta: Any, c: list[Any]) -> a.TimingPhrase:
        return self._phrase(meta, "starts", c)

    def ends_phrase(self, meta: Any, c: list[Any]) -> a.TimingPhrase:
        return self._phrase(meta, "ends", c)

    def timing(self, meta: Any, c: list[Any]) -> a.Timing:
        return a.Timing(_pos(meta), c[0], c[1], c[2])


_TYPE_SPECS = (a.NamedTypeSpec, a.ListTypeSpec, a.IntervalTypeSpec, a.TupleTypeSpec, a.ChoiceTypeSpec)


def _qualified_name(pos: a.Pos, dotted: str) -> a.QualifiedName:
    library, _, name = dotted.rpartition(".")
    return a.QualifiedName(pos, name, library or None)


def _simple_path(expr: a.Expr) -> str | None:
    """`code` or `medication.code` as a dotted path, for retrieve code paths."""
    if isinstance(expr, a.Name):
        return expr.name
    if isinstance(expr, a.Member):
        inner = _simple_path(expr.source)
        return f"{inner}.{expr.name}" if inner else None
    return None


def _as_type_name(x: Any) -> a.NamedTypeSpec:
    if isinstance(x, Token):
        return a.NamedTypeSpec(_tpos(x), str(x))
    if isinstance(x, a.Name):
        return a.NamedTypeSpec(x.pos, x.name)
    if isinstance(x, a.Member) and isinstance(x.source, a.Name):
        return a.NamedTypeSpec(x.pos, x.name, x.source.name)
    pos = getattr(x, "pos", a.NOWHERE)
    raise CqlSyntaxError(
        "an instance selector needs a type name before '{'", line=pos.line, column=pos.column
    )
