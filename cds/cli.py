"""The `trialcds` command line: thin, it parses arguments, calls the package and prints.

Exit status: 0 success; 2 unusable input (one line on stderr naming the file and the problem);
1 internal error."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

from .heap import settle_after_loading

DEMO_AS_OF = "2026-11-01"


class UsageError(Exception):
    """Bad input: reported as one line on stderr, exit status 2."""


def _fail(message: str) -> NoReturn:
    raise UsageError(message)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        _fail(f"{path}: no such file")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"{path}: cannot read: {exc}")


def _read_json(path: Path) -> Any:
    text = _read_text(path)
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        _fail(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}")
    except RecursionError:  # nesting deeper than Python's json goes
        _fail(f"{path}: not valid JSON: nested too deeply")


# ------------------------------------------------------------------------------------- cql
def cmd_cql(args: argparse.Namespace) -> int:
    from .cql import CqlError, DefineError, DirectoryResolver, compile_library, evaluate, evaluate_expression
    from .cql.memory import InMemoryDataSource
    from .cql.values.cql_text import to_json

    if args.expression is not None:
        try:
            value = evaluate_expression(args.expression, as_of=args.as_of)
        except CqlError as exc:
            _fail(f"<expression>:{_where(exc)}{exc.message}")
        print(json.dumps(to_json(value)))
        return 0
    if args.file is None:
        _fail("give a CQL file or -e EXPRESSION")
    path = Path(args.file)
    text = _read_text(path)
    resolver = DirectoryResolver((path.parent,))
    try:
        library = compile_library(text, resolver, name_hint=path.stem)
    except CqlError as exc:
        _fail(f"{path}:{_where(exc)}{exc.message}")
    data = None
    if args.data:
        data = InMemoryDataSource(_resources(_read_json(Path(args.data)), Path(args.data)))
    results = evaluate(library, data, as_of=args.as_of, defines=args.define or None)
    out = {
        name: {"error": str(value.error)} if isinstance(value, DefineError) else to_json(value)
        for name, value in results.items()
    }
    print(json.dumps(out, indent=2))
    return 0


def _where(exc: Any) -> str:
    return f"{exc.line}:{exc.column}: " if exc.line else " "


def _resources(doc: Any, path: Path) -> list[dict[str, Any]]:
    if not isinstance(doc, dict) or "resourceType" not in doc:
        _fail(f"{path}: not a FHIR resource or Bundle")
    if doc["resourceType"] == "Bundle":
        return [e["resource"] for e in doc.get("entry", []) if isinstance(e, dict) and "resource" in e]
    return [doc]


# -------------------------------------------------------------------------------- evaluate
def _as_of(value: str | None) -> str | None:
    if value is None:
        return None
    from .cql.values import temporal

    try:
        parsed = temporal.parse_date(value)
    except temporal.TemporalError:
        parsed = None
    if parsed is None or parsed.day is None:
        _fail(f"--as-of {value}: not a date (YYYY-MM-DD)")
    return value


def _screener(protocols: list[str] | None, root: Path | None = None) -> Any:
    """The trials of `root` (default protocols/), compiled; bad content is one line and exit 2."""
    from .cql import CqlError
    from .eligibility.protocol import ProtocolError
    from .eligibility.runner import Screener
    from .fhir.errors import DataError

    if root is not None and not root.is_dir():
        _fail(f"--protocols-dir {root}: no such folder")
    try:
        screener = Screener.load(protocols, root)
        settle_after_loading()
        return screener
    except ProtocolError as exc:
        _fail(f"{exc.source}: {exc.problem}")
    except CqlError as exc:
        _fail(f"{exc.library}:{_where(exc)}{exc.message}")
    except DataError as exc:
        _fail(str(exc))


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .eligibility.report import table
    from .fhir.errors import DataError
    from .fhir.reader import Skipped, read_patients

    as_of = _as_of(args.as_of)
    screener = _screener(args.protocol)
    skipped: list[Skipped] = []
    try:
        patients = read_patients([Path(f) for f in args.files], skipped, validate=args.validate)
    except DataError as exc:
        _fail(str(exc))
    for s in skipped:
        print(f"trialcds: skipped {s.resource} ({s.source}): {s.reason}", file=sys.stderr)
    if not patients:
        _fail(f"{', '.join(args.files)}: no patients found")
    settle_after_loading()  # the records read live for the whole run, as the trials do
    for n, pid in enumerate(sorted(patients)):
        result = screener.evaluate(patients[pid], as_of)
        if args.json:
            print(json.dumps(result.to_json(), separators=(",", ":")))
        else:
            print(("\n" if n else "") + table(result, args.all))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .content import content_dir
    from .cql import CqlError, DirectoryResolver, compile_library
    from .eligibility.externals import EXTERNALS
    from .eligibility.protocol import ProtocolError
    from .eligibility.runner import compile_protocol, protocol_folders

    mappings = content_dir("fhir_mappings")
    root = Path(args.path) if args.path else content_dir("protocols")
    if not root.exists():
        _fail(f"{root}: no such file or folder")
    resolver = DirectoryResolver((mappings,))
    for cql in sorted(mappings.glob("*.cql")):
        try:
            compile_library(cql.read_text(encoding="utf-8"), resolver, EXTERNALS, cql.stem)
        except CqlError as exc:
            _fail(f"{cql}:{_where(exc)}{exc.message}")
    print(f"fhir_mappings: {len(list(mappings.glob('*.cql')))} CQL libraries compile")
    folders = [root] if (root / "protocol.yaml").exists() else protocol_folders(root)
    if not folders:
        _fail(f"{root}: no protocol.yaml found")
    for folder in folders:
        try:
            loaded = compile_protocol(folder, mappings)
        except ProtocolError as exc:
            _fail(f"{exc.source}: {exc.problem}")
        except CqlError as exc:
            _fail(f"{exc.library}:{_where(exc)}{exc.message}")
        spec = loaded.spec
        cohorts = f", cohorts {', '.join(c.id for c in spec.cohorts)}" if spec.cohorts else ""
        print(
            f"\n{spec.id} ({spec.nct}): {len(spec.criteria)} criteria{cohorts}; every criterion has its define"
        )
        print("  data requirements:")
        seen: dict[str, None] = {}
        for lib in loaded.libraries.values():
            seen.update(dict.fromkeys(str(r) for r in lib.all_requirements()))
        for requirement in sorted(seen):
            print(f"    {requirement}")
    return 0


# ------------------------------------------------------------------------------ serve / demo
def _run_service(args: argparse.Namespace, mode: str) -> int:
    import os

    import uvicorn
    from pydantic import ValidationError

    from .service.main import build_app
    from .service.observability import configure_logging
    from .service.serving import AnnouncingServer
    from .service.settings import Settings

    os.environ.setdefault("TRIALCDS_MODE", mode)
    if mode == "demo":
        # The demo patients were written for this date (data/demo-patients/README.md).
        os.environ.setdefault("TRIALCDS_AS_OF", DEMO_AS_OF)
    try:
        settings = Settings()
    except ValidationError as exc:
        _fail(f"settings: {exc.errors()[0]['msg']}")
    base_url = str(settings.public_base_url or f"http://{args.host}:{args.port}").rstrip("/")
    _require_free_port(args.host, args.port)
    configure_logging(settings.log_level)
    if mode == "demo":
        ready = f"trialcds demo: open {base_url}/demo in a browser (Ctrl-C stops it)"
    else:
        ready = f"trialcds: CDS Hooks discovery at {base_url}/cds-services"
    workers = getattr(args, "workers", 1)
    if workers > 1:
        # Each worker process builds its own app (evaluation is CPU-bound: one process per core).
        from .service.main import LISTEN_URL_ENV

        os.environ[LISTEN_URL_ENV] = base_url
        print(ready, flush=True)  # the workers start on their own; this is as soon as we can say it
        uvicorn.run(
            "cds.service.main:app_from_environment",
            factory=True,
            host=args.host,
            port=args.port,
            workers=workers,
            log_config=None,
            access_log=False,
        )
        return 0
    app = build_app(settings, base_url)
    settle_after_loading()
    config = uvicorn.Config(app, host=args.host, port=args.port, log_config=None, access_log=False)
    AnnouncingServer(config, ready).run()
    return 0


def _require_free_port(host: str, port: int) -> None:
    # Before spending seconds loading the trials, and before printing a URL another program answers.
    from .service.serving import port_in_use

    if port_in_use(host, port):
        _fail(f"--port {port}: {host}:{port} is in use; choose another port")


def cmd_serve(args: argparse.Namespace) -> int:
    return _run_service(args, "production")


def cmd_demo(args: argparse.Namespace) -> int:
    return _run_service(args, "demo")


# ------------------------------------------------------------------------------ sandbox
def cmd_sandbox(args: argparse.Namespace) -> int:
    from .sandbox import HapiError
    from .sandbox import cli as sandbox

    def say(text: str) -> None:
        print(f"trialcds sandbox: {text}", file=sys.stderr, flush=True)

    try:
        if args.action == "up":
            started = sandbox.up(args.port, in_memory=args.in_memory, say=say)
            if not started.already_running:
                say(f"built in {started.build_s:.1f} s, ready in {started.start_s:.1f} s")
            print(started.base_url)
        elif args.action == "down":
            say("stopped" if sandbox.down() else "no sandbox was running")
        else:
            base_url, report = sandbox.load_demo(Path(args.folder) if args.folder else sandbox.DEMO_PATIENTS)
            say(f"loaded {report.bundles} patients ({report.resources} resources) in {report.seconds:.1f} s")
            print(base_url)
    except HapiError as exc:
        _fail(str(exc).splitlines()[0])
    return 0


# ------------------------------------------------------------------------------- screen
def cmd_screen(args: argparse.Namespace) -> int:
    import datetime as dt
    import os

    from .screening import ScreeningError, ScreenOptions, run_screen

    as_of = _as_of(args.as_of) or dt.date.today().isoformat()
    screener = _screener(args.protocol, Path(args.protocols_dir) if args.protocols_dir else None)
    if args.concurrency < 1:
        _fail(f"--concurrency {args.concurrency}: at least 1")
    options = ScreenOptions(
        as_of=as_of,
        state_dir=Path(args.state),
        fhir_server=args.fhir_server,
        ndjson=Path(args.ndjson) if args.ndjson else None,
        out=Path(args.out) if args.out else None,
        fresh=args.fresh,
        concurrency=args.concurrency,
        token=os.environ.get("TRIALCDS_FHIR_TOKEN") or None,  # never on the command line (ps shows it)
    )
    try:
        result = run_screen(options, screener, sys.stderr)
    except ScreeningError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        print(
            f"trialcds: interrupted; results so far are kept in {args.state}: run the same command "
            "again to continue",
            file=sys.stderr,
        )
        return 130
    summary = result.summary
    print(
        f"trialcds screen: {summary.candidates} candidates, {summary.screened} screened now, "
        f"{summary.resumed} earlier, {summary.not_screened} not screened; {summary.seconds:.1f} s",
        file=sys.stderr,
    )
    if args.out:
        Path(args.out).write_text(result.report, encoding="utf-8")
    else:
        sys.stdout.write(result.report)
    return 0


# ------------------------------------------------------------------------------- cql-tests
def cmd_cql_tests(args: argparse.Namespace) -> int:
    from .cql.conformance import markdown, run_suite

    folder = Path(args.dir)
    if not folder.is_dir() or not list(folder.glob("*.xml")):
        _fail(f"{folder}: no conformance test files (*.xml)")
    reports, seconds = run_suite(folder)
    total = sum(len(r.outcomes) for r in reports)
    passed = sum(r.count("pass") for r in reports)
    for r in reports:
        print(f"{r.name:42} {r.count('pass'):4}/{len(r.outcomes):<4} pass")
    print(f"{'total':42} {passed:4}/{total:<4} pass ({100 * passed / total:.1f} %) in {seconds:.1f} s")
    if args.out:
        Path(args.out).write_text(markdown(reports), encoding="utf-8")
    if args.baseline:
        baseline_path = Path(args.baseline)
        if args.update_baseline:
            baseline_path.write_text(f"{passed}\n", encoding="utf-8")
        elif baseline_path.exists():
            baseline = int(baseline_path.read_text().split()[0])
            if passed < baseline:
                print(f"conformance dropped: {passed} pass, baseline is {baseline}", file=sys.stderr)
                return 1
    return 0


# ------------------------------------------------------------------------------------ main
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="trialcds", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    cql = sub.add_parser("cql", help="evaluate a CQL library or expression, print JSON")
    cql.add_argument("file", nargs="?", help="a CQL library")
    cql.add_argument("-e", "--expression", help="evaluate one CQL expression")
    cql.add_argument("--data", help="a FHIR Bundle (JSON) for the retrieves")
    cql.add_argument("--as-of", help="evaluation date YYYY-MM-DD (Today(), Now())")
    cql.add_argument("--define", action="append", help="evaluate only this define (repeatable)")
    cql.set_defaults(run=cmd_cql)

    ev = sub.add_parser("evaluate", help="evaluate patients' FHIR data against the trials")
    ev.add_argument("files", nargs="+", metavar="FILE", help="FHIR R4 Bundle / resource JSON or NDJSON")
    ev.add_argument("--as-of", help="evaluation date YYYY-MM-DD (default: today)")
    ev.add_argument("--protocol", action="append", help="only this protocol (repeatable)")
    ev.add_argument("--json", action="store_true", help="JSON Lines, one object per patient")
    ev.add_argument("--all", action="store_true", help="list every criterion in the table")
    ev.add_argument("--validate", action="store_true", help="also validate resources with fhir.resources")
    ev.set_defaults(run=cmd_evaluate)

    check = sub.add_parser("check", help="check protocols and CQL, print data requirements")
    check.add_argument("path", nargs="?", help="a protocol folder or the protocols root")
    check.set_defaults(run=cmd_check)

    for name, run, text in (
        ("serve", cmd_serve, "run the CDS Hooks service"),
        ("demo", cmd_demo, "run the service with the demo patients and a demo EHR page"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8080)
        if name == "serve":
            p.add_argument("--workers", type=int, default=1, help="worker processes (one per core)")
        p.set_defaults(run=run)

    sandbox = sub.add_parser("sandbox", help="a local HAPI FHIR server: up, down, load the demo patients")
    sandbox.add_argument("action", choices=("up", "down", "load"))
    sandbox.add_argument("--port", type=int, default=8090, help="for up (default 8090)")
    sandbox.add_argument("--in-memory", action="store_true", help="up: an empty in-memory database")
    sandbox.add_argument("--folder", help="load: the Bundles to load (default: the demo patients)")
    sandbox.set_defaults(run=cmd_sandbox)

    screen = sub.add_parser("screen", help="pre-screen a population (FHIR server or Bulk Data export)")
    where = screen.add_mutually_exclusive_group(required=True)
    where.add_argument("--fhir-server", metavar="URL", help="FHIR R4 base URL (token: $TRIALCDS_FHIR_TOKEN)")
    where.add_argument("--ndjson", metavar="DIR", help="a Bulk Data export folder (*.ndjson)")
    screen.add_argument("--protocol", action="append", help="only this protocol (repeatable)")
    screen.add_argument("--as-of", help="evaluation date YYYY-MM-DD (default: today)")
    screen.add_argument("--out", help="report file, .csv or .html (default: CSV on stdout)")
    screen.add_argument(
        "--state", default="var/screen", help="folder of the resumable state (default var/screen)"
    )
    screen.add_argument("--fresh", action="store_true", help="forget an earlier run with the same options")
    screen.add_argument("--concurrency", type=int, default=8, help="patients read at once (default 8)")
    screen.add_argument("--protocols-dir", help="a protocols folder other than the bundled one")
    screen.set_defaults(run=cmd_screen)

    tests = sub.add_parser("cql-tests", help="run the official CQL conformance tests")
    tests.add_argument("dir", nargs="?", default="../shared/cql-tests")
    tests.add_argument("--out", help="write the per-file report (markdown) here")
    tests.add_argument("--baseline", help="fail when fewer tests pass than this file says")
    tests.add_argument("--update-baseline", action="store_true", help="write the current count as baseline")
    tests.set_defaults(run=cmd_cql_tests)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler, not at interpreter exit
        return code
    except UsageError as exc:
        print(f"trialcds: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # e.g. a malformed --as-of date
        print(f"trialcds: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader stopped (`trialcds check | head`): what it wanted was written. Point stdout at
        # /dev/null so that the interpreter's own final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("trialcds: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        # CONTRACT.md: exit 1 for an internal error. One line by default, naming only the exception's
        # type (its message may quote a record); the traceback for a developer who asks for it.
        if os.environ.get("TRIALCDS_DEBUG"):
            raise
        print(
            f"trialcds: internal error ({type(exc).__name__}); run again with TRIALCDS_DEBUG=1 for details",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
