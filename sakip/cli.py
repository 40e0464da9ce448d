"""The `sakip` command line.

    sakip run      --inbox DIR --warehouse DIR [--period YYYY-MM]
    sakip backfill --inbox DIR --warehouse DIR --from YYYY-MM --to YYYY-MM
    sakip demo     [--warehouse DIR]                     (2025-03, then 2025-06)
    sakip laporan  --warehouse DIR --satker KODE --period YYYY-MM
    sakip export | init | reference check | watch   (see --help)

Exit codes: 0 every source valid and published; 2 some source refused (the rest still published);
1 an internal error (the traceback goes to <warehouse>/logs/, never to the terminal)."""
from __future__ import annotations

import argparse
import atexit
import json
import logging
import os
import sys
import time
import traceback
from pathlib import Path

from sakip import settings
from sakip.console import format_backfill, format_run
from sakip.findings import printable, safe_text
from sakip.i18n import LOCALES, _
from sakip.processes import ALLOCATOR
from sakip.report.format import angka

DEMO_INBOX = Path(__file__).resolve().parent / "demo" / "inbox"
# Triwulan I, then II, as the unit ran them: the June report compares each indicator with March
DEMO_PERIODS = ("2025-03", "2025-06")


def _quiet_prefect(verbose: bool) -> None:
    """A person reads the summary; Prefect's own logging stays in the Prefect UI unless asked for.
    Must run before prefect is imported."""
    if not verbose:
        # Logs still reach the Prefect API (and its UI); only the terminal is spared them, tracebacks included.
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    # The temporary API server takes longer than Prefect's default allowance on a busy 2-core machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")  # no telemetry notice on a terminal, no calls out


def result_json(result) -> dict:
    """The run as data, for a machine: what `--json` prints."""
    def files():
        for o in result.files:
            yield {"file": o.name, "sha256": o.sha256, "status": o.status, "source": o.kind,
                   "satker": o.export.satker if o.export else None,
                   "period": o.export.period if o.export else None, "rows": o.rows,
                   "findings": [{"row": f.row, "column": f.column, "value": f.value, "check": f.check,
                                 "message": f.message} for f in o.findings[:50]],
                   "findings_total": o.findings_total}
    return {
        "run_id": result.run_id, "period": f"{result.tahun}-{result.bulan:02d}", "exit_code": result.exit_code,
        "files": list(files()),
        "satkers": [vars(s) for s in result.satkers],
        "published": result.published,
        "stale": [{"table": s.table, "satker": s.kode_satker, "period": f"{s.tahun}-{s.bulan:02d}", "reason": s.alasan,
                   "partial": s.partial} for s in result.stale],
        "compared_again": [{"satker": s, "period": f"{y}-{m:02d}"} for s, y, m in result.refreshed],
        "alerts": [vars(d) for d in result.alerts],
        "reports": [str(p) for p in result.reports],
        "report_error": result.report_error,
        "skipped": [{"path": safe_text(str(entry.path)), "why": entry.why} for entry in result.skipped],
        "timings": result.timings,
    }


def _emit(results: list, as_json: bool, started: float, code: int, as_list: bool = False) -> None:
    """The runs' summaries (or JSON: one run's object, a list for several periods), then the exit code."""
    if as_json:
        documents = [result_json(result) for result in results]
        print(json.dumps(documents if as_list else documents[0], ensure_ascii=False, indent=1, default=str))
        return
    for result in results:
        print(format_run(result, settings.current().verbose))
    print(_("done in {seconds} s; exit {code}").format(seconds=angka(time.perf_counter() - started, 1), code=code))


def _run(inbox: Path, warehouse: Path, period: str | None, verbose: bool, as_json: bool = False,
         dask: str | None = None, parallel: int = 0, then: tuple[str, ...] = ()) -> int:
    """The monthly run of `period`, and then of each period in `then` (the demo's quarters), one after
    another on the same warehouse."""
    if not inbox.is_dir():
        print(_("sakip: the inbox {inbox} is not a folder").format(inbox=inbox), file=sys.stderr)
        return 1
    if period:
        from sakip.periods import parse_period
        try:
            parse_period(period)
        except ValueError as exc:
            print(f"sakip: {exc}", file=sys.stderr)
            return 1
    _quiet_prefect(verbose)
    _progress(as_json)
    started = time.perf_counter()
    from sakip.flows.monthly import monthly_run, with_dask

    def call(month: str | None):
        flow, batches = monthly_run, parallel
        if dask is not None:
            flow, batches = with_dask(dask), max(parallel, 2 * (os.cpu_count() or 1))
        return flow(inbox=str(inbox.resolve()), warehouse=str(warehouse.resolve()), period=month,
                    parallel=batches)

    results = []
    for month in (period, *then):
        result = _call_flow(lambda month=month: call(month), warehouse, _("nothing was published") if not results
                            else _("months before the failing one are published"))
        if isinstance(result, int):  # said on stderr; the months before it are summarised all the same
            if results:
                _emit(results, as_json, started, result, as_list=bool(then))
            return result
        results.append(result)
    code = max(result.exit_code for result in results)
    _emit(results, as_json, started, code, as_list=bool(then))
    return code


def _call_flow(call, warehouse: Path, on_failure: str):
    """Run a flow; its result, or an exit code after telling the user why it did not complete: 2 when it
    refused to compute (the reference data has problems), 1 when it failed. No traceback reaches a user: it
    goes to <warehouse>/logs/."""
    from sakip.failures import MissingProfile, ReferenceRefused, RunFailed, write_error_log
    from sakip.settings import SettingError
    from sakip.warehouse import WarehouseBusy, WarehousePaths
    from sakip.warehouse.migrations import NewerWarehouse
    from sakip.warehouse.transform import ModelTestFailed

    try:
        return call()
    except ReferenceRefused as exc:
        print(_("sakip: the reference data has {count} problem(s); {consequence}. Mend them "
                "(`sakip reference check` lists them):").format(count=len(exc.problems), consequence=on_failure),
              file=sys.stderr)
        for problem in exc.problems:
            print("  " + printable(problem.line()), file=sys.stderr)
        return 2
    except ModelTestFailed as exc:  # the models, not the user's files: the figures would be wrong
        print(_("sakip: {count} declared model test(s) failed; {consequence}:").format(
            count=len(exc.failures), consequence=on_failure), file=sys.stderr)
        for failure in exc.failures:
            print("  " + printable(failure.line()), file=sys.stderr)
    except (WarehouseBusy, MissingProfile, SettingError, NewerWarehouse) as exc:
        print(printable(f"sakip: {exc}"), file=sys.stderr)
    except RunFailed as exc:
        print(printable(_("sakip: internal error: {error}").format(error=exc)) + "\n  "
              + _("{consequence}; details in {log}").format(consequence=on_failure, log=exc.log), file=sys.stderr)
    except Exception as exc:
        log = write_error_log(WarehousePaths(warehouse), traceback.format_exc())
        print(printable(_("sakip: internal error: {error}").format(error=f"{exc.__class__.__name__}: {exc}"))
              + "\n  " + _("{consequence}; details in {log}").format(consequence=on_failure, log=log),
              file=sys.stderr)
    return 1


def _init(folder: Path) -> int:
    """The bundled reference files copied into `folder`, the ones it already has left as they are: the
    installation's planners edit them there, not in the installed package."""
    import shutil

    from sakip.warehouse.db import BUNDLED_REFERENCE

    if folder.exists() and not folder.is_dir():
        print(_("sakip: {folder} is not a folder").format(folder=folder), file=sys.stderr)
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    written, kept = [], []
    # the CSVs, and the Laporan Kinerja's Word template (the unit restyles it there: docs/templat-laporan.md)
    for source in sorted([*BUNDLED_REFERENCE.glob("*.csv"), *BUNDLED_REFERENCE.glob("*.docx")]):
        target = folder / source.name
        if target.exists():
            kept.append(source.name)
        else:
            shutil.copyfile(source, target)
            written.append(source.name)
    print(_("{folder}: {written} reference file(s) written").format(folder=folder, written=len(written))
          + (_(", {kept} kept as they were").format(kept=len(kept)) if kept else ""))
    print("  " + _("runs read them when SAKIP_REFERENCE_DIR names the folder:") +
          f"\n    export SAKIP_REFERENCE_DIR={folder.resolve()}")
    print("  " + _("(a file missing there is taken from the bundled defaults); check them with: "
                   "sakip reference check"))
    return 0


def _reference_check(directory: Path | None, years: set[int]) -> int:
    from sakip.schemas.reference import check_reference, check_template
    from sakip.warehouse.db import reference_dir

    directory = directory or reference_dir()
    if not directory.is_dir():
        print(_("sakip: the reference folder {folder} is not a folder").format(folder=directory), file=sys.stderr)
        return 1
    problems = check_reference(directory, years) + check_template(directory)
    for problem in problems:
        print(printable(problem.line()))
    print(_("{folder}: {count} problem(s)").format(folder=directory, count=len(problems)) if problems
          else _("{folder}: the reference data is valid").format(folder=directory))
    return 2 if problems else 0


def _progress(as_json: bool) -> None:
    """Progress lines on stderr for a person at a terminal; none for a machine or a log."""
    if not as_json and sys.stderr.isatty():
        os.environ.setdefault("SAKIP_PROGRESS", "1")


def _backfill(inbox: Path, warehouse: Path, start: str, end: str, verbose: bool, as_json: bool = False) -> int:
    from sakip.periods import months_between
    try:
        months_between(start, end)
    except ValueError as exc:
        print(f"sakip: {exc}", file=sys.stderr)
        return 1
    if not inbox.is_dir():
        print(_("sakip: the inbox {inbox} is not a folder").format(inbox=inbox), file=sys.stderr)
        return 1
    _quiet_prefect(verbose)
    _progress(as_json)
    started = time.perf_counter()
    from sakip.flows.backfill import backfill_run

    results = _call_flow(lambda: backfill_run(start=start, end=end, inbox=str(inbox.resolve()),
                                              warehouse=str(warehouse.resolve())),
                         warehouse, _("months before the failing one are published"))
    if isinstance(results, int):
        return results
    code = max(r.exit_code for r in results) if results else 0
    if as_json:
        print(json.dumps([result_json(r) for r in results], ensure_ascii=False, indent=1, default=str))
        return code
    print(format_backfill(results, start, end, time.perf_counter() - started, code, settings.current().verbose))
    return code


def _parser() -> argparse.ArgumentParser:
    # every subcommand takes the language and (where it runs the pipeline) --verbose
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=sorted(LOCALES),
                        help=_("language of what is printed, alerted and written: id (default) or en; "
                               "also SAKIP_LANG"))
    loud = argparse.ArgumentParser(add_help=False)
    loud.add_argument("-v", "--verbose", action="store_true",
                      help=_("every file and every finding shown, and Prefect's logs"))
    loud.add_argument("--json", action="store_true", help=_("print the run as JSON on stdout, nothing else"))
    folders = argparse.ArgumentParser(add_help=False)
    folders.add_argument("--inbox", required=True, type=Path, help=_("folder holding the exports"))
    folders.add_argument("--warehouse", required=True, type=Path, help=_("folder of the warehouse"))

    parser = argparse.ArgumentParser(prog="sakip", description=_("Laporan Kinerja pipeline for BPOM units"))
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", parents=[common, folders, loud], help=_("the monthly job on an inbox of exports"))
    run.add_argument("--period", help=_("YYYY-MM to compute and publish (default: the month just closed)"))
    run.add_argument("--dask", nargs="?", const="local", metavar="ADDRESS",
                     help=_("read and validate on a Dask cluster: a scheduler address (tcp://host:8786), or a "
                            "local cluster when no address is given"))
    run.add_argument("--parallel", type=int, default=0, metavar="N",
                     help=_("processes that read and validate the files (default: one per core; with --dask, "
                            "batches spread over the cluster)"))
    backfill = sub.add_parser("backfill", parents=[common, folders, loud],
                              help=_("the monthly job for a range of months, in order"))
    backfill.add_argument("--from", dest="start", required=True, help=_("first month, YYYY-MM"))
    backfill.add_argument("--to", dest="end", required=True, help=_("last month, YYYY-MM"))
    export = sub.add_parser("export", parents=[common],
                            help=_("one self-contained file of what is published for a unit and year"))
    export.add_argument("--warehouse", required=True, type=Path, help=_("folder of the warehouse"))
    export.add_argument("--satker", required=True, help=_("the unit's satker code, e.g. 672849"))
    export.add_argument("--year", required=True, type=int, help="YYYY")
    export.add_argument("--period", help=_("YYYY-MM: that month only"))
    export.add_argument("--out", type=Path, help=_("a DuckDB file to write (opens in DuckDB 1.1 and later)"))
    export.add_argument("--parquet", type=Path, metavar="DIR",
                        help=_("a folder to write one Parquet file per table"))
    export.add_argument("--force", action="store_true", help=_("replace an existing --out file"))
    laporan = sub.add_parser("laporan", parents=[common],
                             help=_("the Laporan Kinerja draft (Word) of a published quarter"))
    laporan.add_argument("--warehouse", required=True, type=Path, help=_("folder of the warehouse"))
    laporan.add_argument("--satker", required=True, help=_("the unit's satker code, e.g. 672849"))
    laporan.add_argument("--period", required=True, help=_("YYYY-MM, a quarter's last month (03, 06, 09, 12)"))
    laporan.add_argument("--tahunan", action="store_true", help=_("the year's report (from --period YYYY-12)"))
    laporan.add_argument("--out", type=Path, help=_("the .docx to write (default: beside the run's reports)"))
    laporan.add_argument("--force", action="store_true", help=_("replace an existing --out file"))
    demo = sub.add_parser("demo", parents=[common, loud],
                          help=_("the monthly job on the bundled Dumai exports ({periods})").format(
                              periods=", ".join(DEMO_PERIODS)))
    demo.add_argument("--warehouse", type=Path, default=Path("demo-warehouse"),
                      help=_("default: ./demo-warehouse"))
    init = sub.add_parser("init", parents=[common],
                          help=_("an installation's reference folder, with the bundled defaults"))
    init.add_argument("folder", type=Path, help=_("where to write it (then: export SAKIP_REFERENCE_DIR=FOLDER)"))
    reference = sub.add_parser("reference", parents=[common], help=_("the reference data: check it"))
    reference.add_argument("action", choices=["check"])
    reference.add_argument("--dir", type=Path, help=_("the reference folder (default: $SAKIP_REFERENCE_DIR, "
                                                      "then the bundled one)"))
    reference.add_argument("--year", type=int, action="append",
                           help=_("a year to be computed: it needs a profile"))
    watch = sub.add_parser("watch", parents=[common], help=_("alert once when a month is not published by its "
                                                            "deadline (sakip/reference/tenggat.csv)"))
    watch.add_argument("--warehouse", required=True, type=Path, help=_("folder of the warehouse"))
    watch.add_argument("--every", type=float, metavar="SECONDS",
                       help=_("check again every SECONDS, until stopped"))
    watch.add_argument("--now", help=argparse.SUPPRESS)  # tests: the check as at this ISO time
    return parser


def _language_of(argv: list[str]) -> None:
    """--lang, read before the parser is built (its help is in that language) and kept in SAKIP_LANG, which
    the run's processes and Prefect's workers inherit."""
    for i, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else (
            argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None)
        if value in LOCALES:
            settings.use(lang=value)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    _language_of(argv)
    args = _parser().parse_args(argv)
    if getattr(args, "verbose", False):
        settings.use(verbose=True)
    from sakip.settings import SettingError, current
    try:
        current()
    except SettingError as exc:  # before anything starts: a run must not fail half way on a bad setting
        print(printable(f"sakip: {exc}"), file=sys.stderr)
        return 2
    try:
        if args.command == "run":
            return _run(args.inbox, args.warehouse, args.period, args.verbose, args.json, args.dask, args.parallel)
        if args.command == "backfill":
            return _backfill(args.inbox, args.warehouse, args.start, args.end, args.verbose, args.json)
        if args.command == "reference":
            return _reference_check(args.dir, set(args.year or ()))
        if args.command == "init":
            return _init(args.folder)
        if args.command == "export":
            from sakip import export
            return export.main(args.warehouse, args.satker, args.year, args.period, args.out, args.parquet,
                               args.force)
        if args.command == "laporan":
            from sakip import laporan
            return laporan.main(args.warehouse, args.satker, args.period, args.out, args.tahunan, args.force)
        if args.command == "watch":
            from sakip import watch
            return watch.main(args.warehouse, args.every, args.now)
        first, *then = DEMO_PERIODS
        return _run(DEMO_INBOX, args.warehouse, first, args.verbose, args.json, then=tuple(then))
    except KeyboardInterrupt:
        print(_("sakip: interrupted; nothing was published"), file=sys.stderr)
        return 1


def entry() -> None:
    """The `sakip` command: `main`, then an exit without Python's teardown of every module (polars, DuckDB and
    Prefect objects freed one by one: ~0.4 s a run, 5 s of a national year). The interpreter exits as usual
    (the threads that are not daemons joined, then the exit handlers: Prefect sends its last logs and events);
    the handler registered here runs after those registered later, flushes and closes logging, and ends the
    process there."""
    os.environ.setdefault(*ALLOCATOR)  # before polars loads (sakip.processes)
    code = 1
    def fast_exit() -> None:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    atexit.register(fast_exit)
    try:
        code = main()
    except SystemExit as exc:  # argparse: --help (0), a usage error (2)
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BrokenPipeError:  # the reader went away (`sakip … | head`): nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)


if __name__ == "__main__":
    entry()
