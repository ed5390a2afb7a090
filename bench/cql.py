"""CQL engine benchmark: prints
  - parse + compile time of a 200-define library (compile cache bypassed),
  - evaluations per second of a 50-define library over an in-memory patient of 300 resources,
on one core. Targets (issue 2): compile < 300 ms, evaluation >= 500 patients/s.

Usage: python bench/cql.py [--rounds N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from cds.content import content_dir
from cds.cql import compile_library
from cds.cql.engine import _cache, evaluate_in
from cds.cql.runtime import Context, as_of_datetime
from cds.fhir.builder import LOINC, RXNORM, SNOMED, PatientBuilder, ago
from cds.fhir.record import PatientRecord
from cds.fhir.terminology import ValueSetLibrary
from cds.heap import settle_after_loading

AS_OF = "2026-11-01"
HEADER = """library Bench version '1'
using FHIR version '4.0.1'
include FHIRHelpers version '4.0.1'
codesystem "LOINC": 'http://loinc.org'
codesystem "SNOMED": 'http://snomed.info/sct'
valueset "SLE": 'https://trialcds.org/fhir/ValueSet/dx-sle'
valueset "GC": 'https://trialcds.org/fhir/ValueSet/med-gc'
code "Hb": '718-7' from "LOINC"
code "Plt": '777-3' from "LOINC"
code "Creat": '2160-0' from "LOINC"
context Patient
"""

# Define bodies in the style of eligibility rules; each block of ten refers back within the block
# ({j} its "Hb", {k} its "Latest", {l} its "Low"); random constants make the defines differ.
TEMPLATES = [
    'define "Hb {i}": [Observation: "Hb"] O where O.status = \'final\' and O.effective as DateTime during '
    "Interval[Today() - {m} months, Today()] sort by effective desc",
    'define "Latest {i}": First("Hb {j}")',
    'define "Low {i}": ("Latest {k}".value as Quantity) < {v} \'g/dL\'',
    'define "SLE {i}": exists ([Condition: "SLE"] C where C.onset as DateTime before Today() - {m} months)',
    'define "Age {i}": AgeInYears() between 18 and {a}',
    'define "Count {i}": Count([Observation: "Plt"] O where (O.value as Quantity) > {v} \'10*9/L\')',
    'define "GC {i}": [MedicationStatement: "GC"] M where M.status = \'active\' return M.id',
    'define "Window {i}": Interval[@2026-01-01, @2026-12-31] overlaps Interval[Today() - {m} months, Today()]',
    'define "Arith {i}": ({v} * 2.5 + {m}) / 3 > {a}',
    "define \"Tuple {i}\": Tuple {{ status: if \"Low {l}\" then 'fail' else 'pass', value: {v} }}",
]


def library(defines: int, seed: int) -> str:
    rng = random.Random(seed)
    lines = [HEADER]
    for i in range(defines):
        template = TEMPLATES[i % len(TEMPLATES)]
        j = i - (i % len(TEMPLATES))
        lines.append(
            template.format(
                i=i, j=j, k=j + 1, l=j + 2, m=rng.randint(1, 12), v=rng.randint(5, 15), a=rng.randint(60, 70)
            )
        )
    return "\n".join(lines) + f"\n// variant {seed}\n"


def patient(resources: int) -> PatientBuilder:
    p = PatientBuilder("bench", birth_date="1975-03-04", gender="female")
    p.condition(SNOMED, "55464009", "Systemic lupus erythematosus", onset="2018-02-01")
    codes = [("718-7", "g/dL", 12), ("777-3", "10*9/L", 250), ("2160-0", "umol/L", 80), ("1742-6", "U/L", 30)]
    n = 0
    while len(p.resources) < resources - 10:
        code, unit, base = codes[n % len(codes)]
        p.observation(LOINC, code, value=base + n % 7, unit=unit, date=ago(AS_OF, days=3 * n + 1))
        n += 1
    for k in range(8):
        p.medication(RXNORM, "8640", "prednisone", start=ago(AS_OF, months=k + 1), dose=(5 + k, "mg"))
    return p


def measure_compile(rounds: int) -> list[float]:
    times = []
    for r in range(rounds):
        text = library(200, seed=1000 + r)
        _cache.clear()
        start = time.perf_counter()
        compile_library(text)
        times.append(time.perf_counter() - start)
    return times


def measure_evaluate(seconds: float) -> tuple[float, int]:
    mappings = content_dir("fhir_mappings")
    terminology = ValueSetLibrary.load(mappings / "valuesets")
    lib = compile_library(library(50, seed=7))
    settle_after_loading()  # as the commands do once their CQL is compiled
    resources = patient(300).resources
    names = lib.public_defines()
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        record = PatientRecord(resources)  # a new patient each time: nothing cached across patients
        ctx = Context(record, terminology, {}, as_of_datetime(AS_OF))
        ctx.patient = record.patient
        evaluate_in(lib, ctx, names)
        count += 1
    return count / (time.perf_counter() - start), len(resources)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    compile_library(library(10, seed=1))  # warm the parser tables and model data
    times = measure_compile(args.rounds)
    print(
        f"parse+compile, 200 defines: median {statistics.median(times) * 1000:.0f} ms, "
        f"min {min(times) * 1000:.0f} ms over {len(times)} rounds (target < 300 ms)"
    )
    rate, size = measure_evaluate(args.seconds)
    print(
        f"evaluate, 50 defines x {size}-resource patient: {rate:.0f} patients/s on one core (target >= 500)"
    )


if __name__ == "__main__":
    main()
