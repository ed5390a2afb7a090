"""Eligibility benchmark: prints patients/s for evaluating synthetic patients (~300 resources each)
against both protocols, on one core and on all cores, and peak memory. Target (issue 3): >= 200
patients/s per core.

Usage: python bench/evaluate.py [--patients 1000] [--workers N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import time

from cds.eligibility.runner import Screener
from cds.fhir.builder import ATC, ICD10CM, LOCAL, LOINC, RXNORM, SNOMED, PatientBuilder, ago
from cds.fhir.reader import PatientData
from cds.heap import settle_after_loading

AS_OF = "2026-11-01"
DIAGNOSES = [
    (SNOMED, "55464009", "Systemic lupus erythematosus"),
    (SNOMED, "89155008", "Systemic sclerosis, diffuse cutaneous"),
    (SNOMED, "195353004", "Granulomatosis with polyangiitis"),
    (SNOMED, "396230008", "Dermatomyositis"),
    (ICD10CM, "M34.0", "Progressive systemic sclerosis"),
    (SNOMED, "38341003", "Hypertension"),
    (SNOMED, "44054006", "Type 2 diabetes mellitus"),
]
LABS = [
    ("718-7", "g/dL", 9, 16),
    ("751-8", "10*3/uL", 1, 8),
    ("777-3", "10*3/uL", 80, 400),
    ("2160-0", "mg/dL", 0.5, 2.0),
    ("1742-6", "U/L", 10, 90),
    ("1920-8", "U/L", 10, 80),
    ("1975-2", "mg/dL", 0.2, 2.0),
    ("59408-5", "%", 88, 99),
    ("29463-7", "kg", 50, 95),
    ("8867-4", "/min", 55, 100),
    ("8480-6", "mm[Hg]", 100, 160),
]
DRUGS = [
    (RXNORM, "8640", "prednisone", (5, "mg")),
    (RXNORM, "5521", "hydroxychloroquine", (200, "mg")),
    (RXNORM, "68149", "mycophenolate mofetil", (1000, "mg")),
    (RXNORM, "17767", "amlodipine", (5, "mg")),
    (RXNORM, "83367", "atorvastatin", (20, "mg")),
    (ATC, "J01CA04", "amoxicillin", (500, "mg")),
]


def synthetic_patient(n: int, size: int = 300) -> PatientData:
    """A plausible rheumatology patient: diagnoses, a long lab history, medications, scores."""
    rng = random.Random(n)
    p = PatientBuilder(
        f"syn-{n}",
        birth_date=f"{rng.randint(1950, 2005)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        gender=rng.choice(["female", "male"]),
    )
    for system, code, display in rng.sample(DIAGNOSES, 2):
        p.condition(system, code, display, onset=ago(AS_OF, months=rng.randint(3, 120)))
    for system, code, display, dose in rng.sample(DRUGS, 3):
        p.medication(
            system, code, display, start=ago(AS_OF, months=rng.randint(1, 36)), dose=dose, route="oral"
        )
    p.observation(
        LOCAL,
        "sledai-2k",
        "SLEDAI-2K",
        value=rng.randint(0, 20),
        unit="{score}",
        date=ago(AS_OF, days=rng.randint(1, 120)),
        category="survey",
    )
    while len(p.resources) < size:
        code, unit, low, high = rng.choice(LABS)
        value = round(rng.uniform(low, high), 1)
        p.observation(LOINC, code, value=value, unit=unit, date=ago(AS_OF, days=rng.randint(1, 900)))
    return PatientData(p.patient_id, p.resources)


_screener: Screener | None = None


def _init() -> None:
    global _screener
    _screener = Screener.load()
    settle_after_loading()  # as `trialcds evaluate` and `screen` do once the trials are loaded


def _evaluate(n: int) -> int:
    assert _screener is not None
    result = _screener.evaluate(synthetic_patient(n), AS_OF)
    return len(result.results)


def run(patients: int, workers: int) -> float:
    """Patients per second; patient generation happens in the workers and is timed separately."""
    if workers == 1:
        _init()
        data = [synthetic_patient(n) for n in range(patients)]
        settle_after_loading()  # as `trialcds evaluate` does once it has read the patients
        assert _screener is not None
        start = time.perf_counter()
        for d in data:
            _screener.evaluate(d, AS_OF)
        return patients / (time.perf_counter() - start)
    with multiprocessing.get_context("fork").Pool(workers, initializer=_init) as pool:
        pool.map(_evaluate, range(workers * 2))  # warm every worker
        start = time.perf_counter()
        pool.map(_evaluate, range(patients), chunksize=20)
        elapsed = time.perf_counter() - start
    # Generation of the synthetic patient happens inside the timed map here: measure it to subtract.
    t0 = time.perf_counter()
    for n in range(min(patients, 200)):
        synthetic_patient(n)
    per_patient_build = (time.perf_counter() - t0) / min(patients, 200)
    return patients / max(elapsed - per_patient_build * patients / workers, 1e-9)


def peak_memory_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    sample = synthetic_patient(0)
    print(
        f"{args.patients} synthetic patients of {len(sample.resources)} resources, protocols: "
        f"{', '.join(p.spec.id for p in Screener.load().protocols)}"
    )
    one = run(args.patients, 1)
    print(f"one core: {one:.0f} patients/s (target >= 200 per core)")
    if args.workers > 1:
        many = run(args.patients, args.workers)
        print(f"{args.workers} cores: {many:.0f} patients/s")
    own, children = peak_memory_mb()
    print(f"peak memory: {own:.0f} MB (main process), {children:.0f} MB (largest worker)")


if __name__ == "__main__":
    main()
