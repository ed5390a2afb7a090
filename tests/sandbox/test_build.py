"""The build runs Maven only when the jar is missing or the launcher's sources changed."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from cds.sandbox.build import FINGERPRINT_FILE, build_lock, jar_path, needs_build, source_fingerprint


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "src" / "main" / "java").mkdir(parents=True)
    (tmp_path / "pom.xml").write_text("<project/>", encoding="utf-8")
    (tmp_path / "src" / "main" / "java" / "Main.java").write_text("class Main {}", encoding="utf-8")
    return tmp_path


def _pretend_built(project: Path) -> None:
    (project / "target" / "lib").mkdir(parents=True)
    jar_path(project).write_bytes(b"jar")
    (project / "target" / FINGERPRINT_FILE).write_text(source_fingerprint(project), encoding="utf-8")


def test_a_project_never_built_needs_a_build(project: Path) -> None:
    assert needs_build(project)


def test_a_build_of_the_current_sources_is_reused(project: Path) -> None:
    _pretend_built(project)
    assert not needs_build(project)


def test_changing_a_java_source_calls_for_a_rebuild(project: Path) -> None:
    _pretend_built(project)
    (project / "src" / "main" / "java" / "Main.java").write_text("class Main { int x; }", encoding="utf-8")
    assert needs_build(project)


def test_adding_a_resource_file_calls_for_a_rebuild(project: Path) -> None:
    _pretend_built(project)
    (project / "src" / "main" / "resources").mkdir()
    (project / "src" / "main" / "resources" / "logback.xml").write_text("<configuration/>", encoding="utf-8")
    assert needs_build(project)


def test_changing_the_pom_calls_for_a_rebuild(project: Path) -> None:
    _pretend_built(project)
    (project / "pom.xml").write_text("<project><version>2</version></project>", encoding="utf-8")
    assert needs_build(project)


def test_touching_a_file_without_changing_it_does_not_rebuild(project: Path) -> None:
    _pretend_built(project)
    source = project / "src" / "main" / "java" / "Main.java"
    source.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    assert not needs_build(project)


def test_a_missing_library_folder_calls_for_a_rebuild(project: Path) -> None:
    _pretend_built(project)
    (project / "target" / "lib").rmdir()
    assert needs_build(project)


def test_a_second_builder_waits_for_the_first_to_release_the_lock(project: Path) -> None:
    order: list[str] = []

    def second_builder() -> None:
        with build_lock(project):
            order.append("second")

    with build_lock(project):
        waiting = threading.Thread(target=second_builder)
        waiting.start()
        waiting.join(timeout=0.3)
        order.append("first")
    waiting.join(timeout=5)
    assert order == ["first", "second"]
