"""Building the Java launcher with Maven, only when its sources changed since the last build."""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import HapiBuildError

JAR_NAME = "hapi-sandbox.jar"
FINGERPRINT_FILE = ".trialcds-sources.sha256"
MAVEN_TIMEOUT_S = 1800.0


def jar_path(project_dir: Path) -> Path:
    return project_dir / "target" / JAR_NAME


@contextmanager
def build_lock(project_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the project's target/ while checking and building."""
    target = project_dir / "target"
    target.mkdir(parents=True, exist_ok=True)
    with (target / ".build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def source_fingerprint(project_dir: Path) -> str:
    """A digest of pom.xml and everything under src/: names and contents, in a stable order.

    Contents rather than modification times, because a fresh clone or a `git checkout`
    touches every file without changing any.
    """
    digest = hashlib.sha256()
    files = [project_dir / "pom.xml", *sorted(p for p in (project_dir / "src").rglob("*") if p.is_file())]
    for path in files:
        digest.update(path.relative_to(project_dir).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def needs_build(project_dir: Path) -> bool:
    """True when the jar or its libraries are missing, or the sources differ from the last build."""
    stamp = project_dir / "target" / FINGERPRINT_FILE
    if not jar_path(project_dir).is_file() or not (project_dir / "target" / "lib").is_dir():
        return True
    if not stamp.is_file():
        return True
    return stamp.read_text(encoding="utf-8").strip() != source_fingerprint(project_dir)


def run_maven(project_dir: Path) -> Path:
    """`mvn package` in the project; records the source fingerprint when it succeeds."""
    if not (project_dir / "pom.xml").is_file():
        raise HapiBuildError(
            f"no pom.xml in {project_dir}: the HAPI sandbox sources ship with the repository, not the wheel"
        )
    maven = shutil.which("mvn")
    if maven is None:
        raise HapiBuildError("Maven (`mvn`) is not on PATH; install Maven 3.8+ and a JDK 17")
    if shutil.which("java") is None:
        raise HapiBuildError("`java` is not on PATH; install a JDK 17")
    fingerprint = source_fingerprint(project_dir)
    try:
        result = subprocess.run(
            [maven, "-B", "-q", "package"],
            cwd=project_dir,
            capture_output=True,
            text=True,
            timeout=MAVEN_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise HapiBuildError(f"`mvn package` took longer than {MAVEN_TIMEOUT_S:.0f} s") from exc
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip().splitlines()
        tail = "\n".join(output[-40:])
        raise HapiBuildError(f"`mvn package` failed in {project_dir} (exit {result.returncode}):\n{tail}")
    jar = jar_path(project_dir)
    if not jar.is_file():
        raise HapiBuildError(f"`mvn package` succeeded but {jar} is missing")
    (project_dir / "target" / FINGERPRINT_FILE).write_text(fingerprint + "\n", encoding="utf-8")
    return jar
