"""CDS Hooks latency benchmark: prints p50 / p99 latency and requests/s for `patient-view` with
prefetch (the demo patients) at concurrency 1 and 16, next to a no-op FastAPI endpoint measured in the
same run. Both servers run under uvicorn in subprocesses; this process only sends requests.
Target (issue 4): p99 <= 50 ms at concurrency 16.

Usage: python bench/hook.py [--requests 400]
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
NOOP_APP = """
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
app = FastAPI()
@app.post("/cds-services/noop")
async def noop(request: Request) -> JSONResponse:
    await request.body()
    return JSONResponse({"cards": []})
"""
# Placeholders {db}, {port} and {cache} are filled with str.replace (the source has braces of its own).
SERVICE_APP = """
from cds.heap import settle_after_loading
from cds.service.main import build_app
from cds.service.settings import Settings
app = build_app(
    Settings(mode="demo", as_of="2026-11-01", feedback_db_url="sqlite:///{db}", result_cache_size={cache}),
    "http://127.0.0.1:{port}",
)
settle_after_loading()  # as `trialcds serve` does
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(source: str, port: int, workdir: Path, workers: int = 1) -> subprocess.Popen[bytes]:
    module = workdir / f"bench_app_{port}.py"
    module.write_text(source)
    atexit.register(module.unlink, missing_ok=True)  # one module per port: none left behind
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            f"{module.stem}:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            "--workers",
            str(workers),
        ],
        cwd=workdir,
        env={**os.environ, "PYTHONPATH": f"{workdir}:{ROOT}"},
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the server on port {port} did not start")


def hook_bodies(templates: dict[str, str]) -> list[bytes]:
    """One patient-view request per demo patient, prefetch filled from its Bundle."""
    from cds.fhir.jsontext import dumps, loads

    bodies = []
    for path in sorted((ROOT / "data" / "demo-patients").glob("*.json")):
        bundle = loads(path.read_text())
        resources = [e["resource"] for e in bundle.get("entry", [])]
        patient = next(r for r in resources if r["resourceType"] == "Patient")
        prefetch: dict[str, Any] = {}
        for key, template in templates.items():
            rtype = template.split("?")[0].split("/")[0]
            found = [r for r in resources if r["resourceType"] == rtype]
            prefetch[key] = (
                (found[0] if found else None)
                if "?" not in template
                else {
                    "resourceType": "Bundle",
                    "type": "searchset",
                    "entry": [{"resource": r} for r in found],
                }
            )
        body = {
            "hook": "patient-view",
            "hookInstance": str(uuid.uuid4()),
            "context": {"userId": "Practitioner/bench", "patientId": patient["id"]},
            "prefetch": prefetch,
        }
        bodies.append(dumps(body).encode())
    if not bodies:
        raise SystemExit("no demo patients in data/demo-patients")
    return bodies


async def load(url: str, bodies: list[bytes], requests: int, concurrency: int) -> tuple[list[float], float]:
    """Send `requests` POSTs over `concurrency` keep-alive connections; the latency of each.

    A few lines of HTTP/1.1 on asyncio streams rather than an HTTP client library: the load
    generator shares the machine with the server, and a full client spends more CPU per request
    than the no-op endpoint does, which would be measured as server latency.
    """
    parsed = urlsplit(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    head = (
        f"POST {parsed.path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
    ).encode()
    messages = [head + f"Content-Length: {len(body)}\r\n\r\n".encode() + body for body in bodies]
    latencies: list[float] = []
    counter = iter(range(requests))

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            for n in counter:
                t0 = time.perf_counter()
                writer.write(messages[n % len(messages)])
                status = await reader.readline()
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                body = await reader.readexactly(length)
                latencies.append(time.perf_counter() - t0)
                if not status.startswith(b"HTTP/1.1 200"):
                    raise SystemExit(f"{url}: {status.decode().strip()}: {body[:200]!r}")
        finally:
            writer.close()

    start_time = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    return latencies, time.perf_counter() - start_time


def report(name: str, latencies: list[float], elapsed: float, concurrency: int) -> None:
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    print(
        f"{name:<28} c={concurrency:<3} p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   {len(latencies) / elapsed:7.0f} req/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes for the service")
    args = parser.parse_args()
    workdir = ROOT / "var" / "bench"
    workdir.mkdir(parents=True, exist_ok=True)
    noop_port, cold_port, warm_port = free_port(), free_port(), free_port()
    service = SERVICE_APP.replace("{db}", str(workdir / "feedback.sqlite3"))
    servers: list[subprocess.Popen[bytes]] = []
    atexit.register(lambda: [server.kill() for server in servers])  # no server outlives a crash
    servers.append(start(NOOP_APP, noop_port, workdir))
    # Every call evaluated (result cache off), and repeat chart openings answered from the cache.
    for port, cache in ((cold_port, "0"), (warm_port, "2048")):
        source = service.replace("{port}", str(port)).replace("{cache}", cache)
        servers.append(start(source, port, workdir, args.workers))
    try:
        discovery = httpx.get(f"http://127.0.0.1:{cold_port}/cds-services", timeout=30).json()
        templates = next(s["prefetch"] for s in discovery["services"] if s["id"] == "trial-eligibility")
        bodies = hook_bodies(templates)
        size = statistics.mean(len(b) for b in bodies) / 1024
        print(
            f"{len(bodies)} demo patients, prefetch {size:.0f} KiB per request on average, "
            f"{args.workers} service worker(s)"
        )
        targets = [
            ("no-op FastAPI endpoint", f"http://127.0.0.1:{noop_port}/cds-services/noop"),
            ("patient-view, evaluated", f"http://127.0.0.1:{cold_port}/cds-services/trial-eligibility"),
            ("patient-view, repeat (cache)", f"http://127.0.0.1:{warm_port}/cds-services/trial-eligibility"),
        ]
        for concurrency in (1, 16):
            for name, url in targets:
                # Warm up: every worker keeps its own result cache, and which worker takes a
                # connection is up to the kernel, so each patient is sent several times per worker.
                asyncio.run(load(url, bodies, max(40, 3 * len(bodies) * args.workers), concurrency))
                latencies, elapsed = asyncio.run(load(url, bodies, args.requests, concurrency))
                report(name, latencies, elapsed, concurrency)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
