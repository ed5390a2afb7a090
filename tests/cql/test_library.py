"""Library-level features: defines, functions, parameters, terminology, includes, contexts, caching."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cds.cql import DefineError, compile_library, evaluate
from cds.cql.values import temporal


def run(text: str, **kwargs: object) -> dict[str, object]:
    return evaluate(compile_library(text), **kwargs)  # type: ignore[arg-type]


def test_defines_may_refer_forward_and_are_computed_once() -> None:
    results = run("library L\ndefine A: B + 1\ndefine B: 41\n")
    assert results == {"A": 42, "B": 41}


def test_private_defines_are_not_reported() -> None:
    results = run("library L\ndefine private Hidden: 1\ndefine Shown: Hidden + 1\n")
    assert results == {"Shown": 2}


def test_a_runtime_error_stays_in_its_define() -> None:
    text = (
        "library L\ndefine Bad: Message(1, true, 'E1', 'Error', 'boom')\ndefine Good: 2\ndefine Uses: Bad\n"
    )
    results = run(text)
    assert results["Good"] == 2
    assert isinstance(results["Bad"], DefineError) and "E1: boom" in str(results["Bad"])
    assert isinstance(results["Uses"], DefineError)


def test_function_with_operands_and_overloads() -> None:
    text = (
        "library L\n"
        "define function Twice(x Integer): x * 2\n"
        "define function Twice(s String): s + s\n"
        "define A: Twice(21)\n"
        "define B: Twice('ab')\n"
    )
    assert run(text) == {"A": 42, "B": "abab"}


def test_fluent_function_is_called_with_dot_syntax() -> None:
    text = "library L\ndefine fluent function plusOne(x Integer): x + 1\ndefine A: 41.plusOne()\n"
    assert run(text) == {"A": 42}


def test_external_function_is_bound_to_python() -> None:
    text = "library L\ndefine function Shout(s String) returns String: external\ndefine A: Shout('hi')\n"
    library = compile_library(text, externals={"L.Shout": lambda s: s.upper() + "!"})
    assert evaluate(library) == {"A": "HI!"}


def test_missing_external_binding_is_a_compile_error() -> None:
    with pytest.raises(Exception, match="external function Shout has no Python binding"):
        compile_library("library L\ndefine function Shout(s String) returns String: external\n")


def test_parameter_default_and_override() -> None:
    text = "library L\nparameter Limit Integer default 10\ndefine Over: 12 > Limit\n"
    library = compile_library(text)
    assert evaluate(library) == {"Over": True}
    assert evaluate(library, parameters={"Limit": 20}) == {"Over": False}


def test_terminology_definitions_make_codes_and_concepts() -> None:
    text = (
        "library L\n"
        "codesystem \"LOINC\": 'http://loinc.org'\n"
        "code \"Hb\": '718-7' from \"LOINC\" display 'Hemoglobin'\n"
        'concept "Blood": { "Hb" } display \'blood tests\'\n'
        'define C: "Hb"\n'
        'define K: "Blood" ~ "Hb"\n'
    )
    results = run(text)
    code = results["C"]
    assert (code.code, code.system, code.display) == ("718-7", "http://loinc.org", "Hemoglobin")  # type: ignore[attr-defined]
    assert results["K"] is True


def test_included_library_members_are_reachable_by_alias() -> None:
    class Resolver:
        def resolve(self, name: str, version: str | None) -> str | None:
            if name == "Common":
                return (
                    "library Common version '1'\ndefine Answer: 42\ndefine function Inc(x Integer): x + 1\n"
                )
            return None

    text = "library L\ninclude Common version '1' called C\ndefine A: C.Inc(C.Answer)\n"
    assert evaluate(compile_library(text, Resolver())) == {"A": 43}


def test_unknown_include_is_a_compile_error() -> None:
    with pytest.raises(Exception, match="cannot find included library Nowhere"):
        compile_library("library L\ninclude Nowhere\n")


def test_compiled_libraries_are_cached_by_content() -> None:
    text = "library Cached\ndefine A: 1\n"
    assert compile_library(text) is compile_library(text)


def test_today_and_now_are_fixed_by_as_of() -> None:
    results = run("library L\ndefine T: Today()\ndefine N: Now()\n", as_of="2026-11-01")
    assert results["T"] == temporal.Date(2026, 11, 1)
    assert results["N"] == temporal.DateTime(2026, 11, 1, 0, 0, 0, 0, Decimal(0))


def test_if_and_case_choose_the_first_true_branch() -> None:
    text = (
        "library L\n"
        "define I: if null then 1 else 2\n"
        "define C: case when 1 > 2 then 'a' when 2 > 1 then 'b' else 'c' end\n"
        "define S: case 3 when 1 then 'one' when 3 then 'three' else 'other' end\n"
    )
    assert run(text) == {"I": 2, "C": "b", "S": "three"}
