"""Driving the local HAPI FHIR sandbox: build it, start it, wait for it, load it, stop it.

The server is our launcher in `sandbox/hapi/` (HAPI FHIR JPA, R4, H2, 127.0.0.1 only). `start`
records the running server in a state directory (`var/hapi/` by default), so `trialcds sandbox
up` and `trialcds sandbox down` work from two separate processes.

    jar = build()
    server = start(port=8090)
    wait_ready(server.base_url, timeout_s=180)
    load(server.base_url, bundles)
    server.stop()
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from ..fhir import jsontext
from .build import build_lock, jar_path, needs_build, run_maven
from .bundles import as_transaction, bundle_name
from .errors import HapiLoadError, HapiStartError
from .process import is_alive, port_is_free, runs_command, terminate, wait_port_free
from .state import SandboxState, clear_state, read_state, write_state

REPO_ROOT = Path(__file__).resolve().parents[2]
PROJECT_DIR = REPO_ROOT / "sandbox" / "hapi"
STATE_DIR = REPO_ROOT / "var" / "hapi"
DEFAULT_PORT = 8090
LOG_FILE = "hapi.log"
JAR_MARKER = "hapi-sandbox.jar"

# C1-only JIT: HAPI answers /metadata ~40% sooner and loads bundles ~1.5x slower once warm (measured,
# see sandbox/hapi/README.md), the right trade for a test server. The serial collector suits two cores.
DEFAULT_JVM_OPTIONS: tuple[str, ...] = ("-Xmx1g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")


@dataclass(frozen=True)
class HapiServer:
    """A running sandbox server, as started here or as recorded by another process."""

    base_url: str
    pid: int
    port: int
    log_path: Path
    state_dir: Path
    data_dir: Path | None = None

    def stop(self, timeout_s: float = 30.0) -> bool:
        return stop(self, timeout_s=timeout_s)

    def is_running(self) -> bool:
        return is_alive(self.pid)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(
                self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
            )
        except FileNotFoundError:
            return "(no log written)"


@dataclass(frozen=True)
class LoadReport:
    """What `load` sent: how many Bundles and resources, and how long HAPI took."""

    bundles: int
    resources: int
    seconds: float


def build(force: bool = False, project_dir: Path = PROJECT_DIR) -> Path:
    """The launcher jar, running `mvn package` only when it is missing or its sources changed.

    Two processes building at once (say, two test runs) take turns: the second finds the
    first one's jar up to date and does not run Maven again.
    """
    with build_lock(project_dir):
        if force or needs_build(project_dir):
            return run_maven(project_dir)
        return jar_path(project_dir)


def start(
    port: int = DEFAULT_PORT,
    data_dir: Path | None = None,
    *,
    state_dir: Path = STATE_DIR,
    jar: Path | None = None,
    jvm_options: Sequence[str] = DEFAULT_JVM_OPTIONS,
) -> HapiServer:
    """Start HAPI in the background (log in `state_dir/hapi.log`) and record it; does not wait.

    Without `data_dir` the database is in memory and starts empty every time (what tests want);
    with it, H2 keeps its files there and the data survives a restart. Call `wait_ready` next.
    """
    jar = jar or jar_path(PROJECT_DIR)
    if not jar.is_file():
        raise HapiStartError(f"{jar} does not exist; run build() first")
    _refuse_if_running(state_dir)
    if not port_is_free(port):
        raise HapiStartError(f"port {port} on 127.0.0.1 is already in use; choose another port")
    state_dir.mkdir(parents=True, exist_ok=True)
    log_path = state_dir / LOG_FILE
    command = ["java", *jvm_options, "-jar", str(jar), f"--port={port}"]
    if data_dir is not None:
        data_dir.mkdir(parents=True, exist_ok=True)
        command.append(f"--data-dir={data_dir.resolve()}")
    with log_path.open("w", encoding="utf-8") as log:
        try:
            # A session of its own: the server outlives the `sandbox up` process and its Ctrl-C.
            process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        except FileNotFoundError as exc:
            raise HapiStartError("`java` is not on PATH; install a JDK 17") from exc
    server = HapiServer(
        base_url=f"http://127.0.0.1:{port}/fhir",
        pid=process.pid,
        port=port,
        log_path=log_path,
        state_dir=state_dir,
        data_dir=data_dir,
    )
    write_state(state_dir, _state_of(server))
    return server


def wait_ready(base_url: str, timeout_s: float = 180.0, *, server: HapiServer | None = None) -> float:
    """Poll `{base_url}/metadata` until HAPI answers with its CapabilityStatement; seconds waited.

    Given the `server`, a JVM that exits while starting is reported at once with its log.
    """
    started = time.monotonic()
    last_problem = "no answer yet"
    with httpx.Client(timeout=5.0) as client:
        while time.monotonic() - started < timeout_s:
            if server is not None and not server.is_running():
                raise HapiStartError(
                    f"HAPI exited while starting; end of {server.log_path}:\n{server.log_tail()}"
                )
            try:
                response = client.get(f"{base_url}/metadata", headers={"Accept": "application/fhir+json"})
                if (
                    response.status_code == 200
                    and response.json().get("resourceType") == "CapabilityStatement"
                ):
                    return time.monotonic() - started
                last_problem = f"HTTP {response.status_code}"
            except (httpx.TransportError, ValueError) as exc:
                last_problem = type(exc).__name__
            time.sleep(0.5)
    log_hint = f"; see {server.log_path}" if server is not None else ""
    raise HapiStartError(
        f"{base_url}/metadata did not answer within {timeout_s:.0f} s ({last_problem}){log_hint}"
    )


def running(state_dir: Path = STATE_DIR) -> HapiServer | None:
    """The server recorded in `state_dir` if its process still runs, else None."""
    state = read_state(state_dir)
    if state is None or not is_alive(state.pid) or not runs_command(state.pid, JAR_MARKER):
        return None
    return _server_of(state, state_dir)


def stop(server: HapiServer | None = None, *, state_dir: Path = STATE_DIR, timeout_s: float = 30.0) -> bool:
    """Stop the given server, or the one recorded in `state_dir`; True if one was running.

    Returns only once the port is free again, so a new server can start on it straight away.
    """
    if server is None:
        state = read_state(state_dir)
        if state is None:
            return False
        server = _server_of(state, state_dir)
    was_running = is_alive(server.pid) and runs_command(server.pid, JAR_MARKER)
    if was_running:
        terminate(server.pid, timeout_s)
        if is_alive(server.pid):
            raise HapiStartError(f"HAPI (pid {server.pid}) did not stop within {timeout_s:.0f} s")
        if not wait_port_free(server.port, timeout_s):
            raise HapiStartError(f"port {server.port} is still taken after HAPI (pid {server.pid}) stopped")
    recorded = read_state(server.state_dir)
    if recorded is None or recorded.pid == server.pid:
        clear_state(server.state_dir)
    return was_running


def load(base_url: str, bundles: Iterable[Mapping[str, Any]], *, timeout_s: float = 120.0) -> LoadReport:
    """POST each Bundle to HAPI as a transaction, in order; stops at the first one refused.

    Bundles of other types (collection, searchset) are sent as transactions that PUT each
    resource at its own id. A refusal raises `HapiLoadError` naming the Bundle.
    """
    started = time.monotonic()
    count = resources = 0
    with httpx.Client(timeout=timeout_s, headers={"Accept": "application/fhir+json"}) as client:
        for position, bundle in enumerate(bundles):
            name = bundle_name(bundle, position)
            try:
                transaction = as_transaction(bundle)
            except ValueError as exc:
                raise HapiLoadError(name, 0, str(exc)) from exc
            _post_transaction(client, base_url, name, transaction)
            count += 1
            resources += len(transaction.get("entry", []))
    return LoadReport(bundles=count, resources=resources, seconds=time.monotonic() - started)


def _post_transaction(client: httpx.Client, base_url: str, name: str, transaction: Mapping[str, Any]) -> None:
    try:
        # Exact decimals (read as Decimal) go out digit for digit: 1.50 stays 1.50 in HAPI.
        response = client.post(
            base_url, content=jsontext.dumps(transaction), headers={"Content-Type": "application/fhir+json"}
        )
    except httpx.TransportError as exc:
        raise HapiLoadError(name, 0, f"no answer from {base_url}: {exc!r}") from exc
    if response.status_code >= 400:
        raise HapiLoadError(name, response.status_code, _diagnostics(response))


def _diagnostics(response: httpx.Response) -> str:
    """HAPI's OperationOutcome in one line, or the start of the body when it is not one."""
    try:
        outcome = response.json()
        issues = outcome.get("issue", []) if isinstance(outcome, dict) else []
        texts = [str(issue.get("diagnostics") or issue.get("code")) for issue in issues]
        if texts:
            return "; ".join(texts)
    except ValueError:
        pass
    return response.text[:500]


def _refuse_if_running(state_dir: Path) -> None:
    current = running(state_dir)
    if current is not None:
        raise HapiStartError(
            f"a sandbox is already running at {current.base_url} (pid {current.pid}); stop it first"
        )
    clear_state(state_dir)  # whatever was recorded is gone


def _state_of(server: HapiServer) -> SandboxState:
    return SandboxState(
        pid=server.pid,
        port=server.port,
        base_url=server.base_url,
        log_path=str(server.log_path),
        data_dir=str(server.data_dir) if server.data_dir is not None else None,
        started_at=time.time(),
    )


def _server_of(state: SandboxState, state_dir: Path) -> HapiServer:
    return HapiServer(
        base_url=state.base_url,
        pid=state.pid,
        port=state.port,
        log_path=Path(state.log_path),
        state_dir=state_dir,
        data_dir=Path(state.data_dir) if state.data_dir else None,
    )
