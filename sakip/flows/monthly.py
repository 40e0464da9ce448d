"""The monthly run: every export in the inbox, the requested period (by default the month just closed) for
every satker the inbox names, published at the end, with a summary and the refused rows as Prefect
artifacts."""
from __future__ import annotations

import datetime as dt
import os
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger, task, unmapped
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.runtime import deployment, flow_run
from prefect.utilities.annotations import quote
from prefect.variables import Variable

from sakip import alerts, artifacts, report, settings
from sakip.failures import ReferenceRefused
from sakip.findings import printable
from sakip.i18n import _
from sakip.ingest import (
    FileOutcome,
    Skipped,
    batches,
    discover,
    in_inbox_order,
    inspect_parallel,
    reading_processes,
)
from sakip.periods import last_closed_month, parse_period
from sakip.pipeline import RunResult, build_and_publish, previously_accepted
from sakip.processes import renew_warm_pool, warm_pool
from sakip.runs import begin_run, end_run
from sakip.schemas.reference import check_reference
from sakip.warehouse import WarehousePaths

JAKARTA = ZoneInfo("Asia/Jakarta")
# What the run's workers import as they start: those that read the files only what reads them (their imports
# are the wait before reading begins: 0.9 -> 0.7 s of CPU each); those that replace them after reading what cuts the
# Parquet sets and writes the reports
READING_MODULES = ("sakip.ingest",)
WRITING_MODULES = ("sakip.warehouse.publish", "sakip.report.data", "sakip.report.html", "sakip.report.workbook",
                   "sakip.report.document")

# No task is cached (each run reads what the inbox holds now), and their inputs are the run's files, frames and
# findings: hashing them for a cache key nobody uses cost ~1 s a national run. For the same reason the large
# inputs are passed `quote`d: Prefect then does not walk them looking for futures.


@task(retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def find_exports(inbox: str) -> tuple[list[Path], list[Skipped]]:
    return discover(Path(inbox))


@task(cache_policy=NO_CACHE)
def register_run(warehouse: str, run_id: str, period: str, inbox: str) -> list[str]:
    """The run recorded as started; the runs on this warehouse that died without ending, marked Crashed."""
    dead = begin_run(WarehousePaths(Path(warehouse)), run_id, period, inbox)
    return mark_crashed(dead)


def mark_crashed(run_ids: list[str]) -> list[str]:
    """Flow runs of dead processes still Running (or Pending) on the Prefect server: Crashed, which frees their
    deployment's concurrency slot and fires the failure automation. Returns those it marked."""
    from uuid import UUID

    from prefect.client.orchestration import get_client
    from prefect.states import Crashed

    marked = []
    with get_client(sync_client=True) as client:
        for run_id in run_ids:
            try:
                run = client.read_flow_run(UUID(run_id))
            except Exception:  # not a flow run id, or one of another server
                continue
            if run.state is not None and not run.state.is_final():
                client.set_flow_run_state(run.id, Crashed(message=_("its process died without finishing; found by "
                                                                    "the next sakip run on the same warehouse")),
                                          force=True)
                marked.append(run_id)
    return marked


@task(cache_policy=NO_CACHE)
def reference_problems(tahun: int) -> list:
    return check_reference(years={tahun})


@task(retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def known_to_warehouse(warehouse: str) -> tuple[set[str], set[str]]:
    return previously_accepted(WarehousePaths(Path(warehouse)))


@task(retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def inspect_batch(files: list[Path], satkers: set[str], seen: set[str], workers: int = 1,
                  archive: Path | None = None) -> list[FileOutcome]:
    """Read and validate a batch of files, on `workers` processes of the machine that runs the task, which keep
    what they read in the warehouse's `archive` when given. A run has one batch per machine's worth of work,
    not one task per file: Prefect's cost per task must not grow with the inbox. On a Dask cluster the batches
    run on its workers (on other machines: the files are archived as the run loads them); the warehouse keeps
    a single writer (the `build` task)."""
    return inspect_parallel(files, satkers, seen, workers, archive)


def inspect_exports(files: list[Path], warehouse: str, parallel: int) -> list[FileOutcome]:
    seen, satkers = known_to_warehouse(warehouse)
    if not _on_cluster():
        archive = WarehousePaths(Path(warehouse)).archive
        return inspect_batch(quote(files), quote(satkers), quote(seen), parallel, archive)
    futures = inspect_batch.map(batches(files, parallel), unmapped(satkers), unmapped(seen))
    return in_inbox_order([o for batch in futures.result() for o in batch], files)


def _on_cluster() -> bool:
    context = FlowRunContext.get()
    return context is not None and type(context.task_runner).__name__ == "DaskTaskRunner"


@task(cache_policy=NO_CACHE)
def build(outcomes: list[FileOutcome], warehouse: str, tahun: int, bulan: int, run_id: str,
          inbox: str) -> RunResult:
    return build_and_publish(outcomes, WarehousePaths(Path(warehouse)), tahun, bulan, run_id, inbox)


@task(cache_policy=NO_CACHE)
def alert(warehouse: str, run_id: str, message: alerts.Alert) -> list[alerts.Delivery]:
    return alerts.send(WarehousePaths(Path(warehouse)), run_id, message)


@task(cache_policy=NO_CACHE)
def write_reports(warehouse: str, periods: list[tuple[str, int, int]], run_id: str | None, workers: int,
                  own_runs: bool = False) -> report.Written:
    return report.write_reports(Path(warehouse), periods, run_id, workers, own_runs)


@task(cache_policy=NO_CACHE)
def publish_artifacts(result: RunResult) -> None:
    """What a person sees in the Prefect UI: the run's summary, and the refused rows as a table."""
    period = f"{result.tahun}-{result.bulan:02d}"
    create_markdown_artifact(key="sakip-summary", markdown=artifacts.summary_markdown(result),
                             description=f"sakip {period}")
    rows = artifacts.refused_rows(result)
    if rows:
        create_table_artifact(key="sakip-refused-rows", table=rows,
                              description=_("rows refused in {period}").format(period=period))


def resolve_period(period: str | None, scheduled: dt.datetime | None = None) -> tuple[int, int]:
    """An explicit YYYY-MM; else the month just closed at the run's scheduled time (so that a late or re-run
    schedule still computes the month it was meant for), in Jakarta time; else now."""
    if period:
        return parse_period(period)
    when = scheduled or dt.datetime.now(JAKARTA)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return last_closed_month(when.astimezone(JAKARTA).date())


def resolve_location(value: str | None, name: str) -> str:
    """A path given as parameter, else the Prefect variable `sakip_<name>`, else $SAKIP_<NAME>: deployments
    carry no paths, each machine says where its inbox and warehouse are."""
    value = value or Variable.get(f"sakip_{name}", default=None) or getattr(settings.current(), name)
    if not value:
        raise ValueError(_("no {name} given: pass --{name}, or set the Prefect variable sakip_{name} or the "
                           "environment variable SAKIP_{variable}").format(name=name, variable=name.upper()))
    return value


def scheduled_time() -> dt.datetime | None:
    """The scheduled start of a run created by a deployment (its schedule, or a run started for a given
    time); None for an ad-hoc run, which computes the month just closed now. The run's own record says whether a
    deployment made it (`deployment.id` asks the server again for an ad-hoc run: 0.1-0.2 s, twice a run)."""
    context = FlowRunContext.get()
    deployed = context.flow_run.deployment_id if context and context.flow_run else deployment.id
    return flow_run.scheduled_start_time if deployed else None


def _run_name() -> str:
    """What the run computes, for the Prefect UI and alerts: sakip-2025-06 (not a random name)."""
    try:
        tahun, bulan = resolve_period(flow_run.parameters.get("period"), scheduled_time())
    except ValueError:
        return "sakip-invalid-period"
    return f"sakip-{tahun}-{bulan:02d}"


@flow(name="sakip-monthly", flow_run_name=_run_name, log_prints=False)
def monthly_run(inbox: str | None = None, warehouse: str | None = None, period: str | None = None,
                parallel: int = 0) -> RunResult:
    """`parallel`: processes that read and validate the files (0: one per core; a small inbox is read in
    the flow's process); with `with_dask`, the number of batches spread over the cluster's workers."""
    logger = get_run_logger()
    inbox, warehouse = resolve_location(inbox, "inbox"), resolve_location(warehouse, "warehouse")
    tahun, bulan = resolve_period(period, scheduled_time())
    parallel = parallel or os.cpu_count() or 1
    run_id = str(flow_run.id or dt.datetime.now().strftime("%Y%m%d%H%M%S"))
    logger.info(_("sakip run {run_id}: inbox {inbox}, warehouse {warehouse}, period {period}").format(
        run_id=run_id, inbox=inbox, warehouse=warehouse, period=f"{tahun}-{bulan:02d}"))
    problems = reference_problems(tahun)
    if problems:  # nothing is computed with a broken profile or registry: the whole run is refused
        for problem in problems:
            logger.error(printable(problem.line()))
        alert(warehouse, run_id, alerts.reference_alert(run_id, f"{tahun}-{bulan:02d}", problems))
        raise ReferenceRefused(problems)
    with ExitStack() as stack:
        try:
            for crashed in register_run(warehouse, run_id, f"{tahun}-{bulan:02d}", inbox):
                logger.warning(_("run {run_id} died without finishing: marked Crashed").format(run_id=crashed))
            files, skipped = find_exports(inbox)
            logger.info(_("{count} export files in the inbox").format(count=len(files)))
            for entry in skipped:
                logger.warning(_("{path} skipped: {why}").format(path=printable(str(entry.path)), why=entry.why))
            if not _on_cluster():
                # processes started while this one reads the warehouse's checksums; after reading, fresh ones
                # (started while the rows load) cut the Parquet sets and write the reports
                stack.enter_context(warm_pool(reading_processes(files, parallel), *READING_MODULES))
            clock = time.perf_counter()
            outcomes = inspect_exports(files, warehouse, parallel)
            read_validate = time.perf_counter() - clock
            # a national year: the run with its workers at its largest 1,561 -> 1,377 MiB, for pipeline /
            # baseline 2.65 -> 2.72 (the new workers' imports compete with the load and the models)
            renew_warm_pool(*WRITING_MODULES)
            # a line per refused file; the others (hundreds in the centre's run) counted, each one at debug
            # level: audit.files lists them all
            counts = Counter(outcome.status for outcome in outcomes)
            logger.info(_("files: {accepted} accepted, {duplicate} already accepted earlier, {refused} refused").format(
                accepted=counts["accepted"], duplicate=counts["duplicate"], refused=counts["refused"]))
            for outcome in outcomes:
                (logger.warning if outcome.status == "refused" else logger.debug)(printable(outcome.summary()))
            result = build(quote(outcomes), warehouse, tahun, bulan, run_id, inbox)
            result.skipped = skipped
        except Exception as exc:
            end_run(WarehousePaths(Path(warehouse)), run_id, "failed")
            alert(warehouse, run_id, alerts.failure_alert(run_id, f"{tahun}-{bulan:02d}", exc))
            raise
        result.timings = {"read_validate": read_validate, **result.timings}
        for table, rows in result.published.items():
            logger.info(_("published mart.{table}: {rows} rows for {period}").format(
                table=table, rows=rows, period=f"{tahun}-{bulan:02d}"))
        for satker, y, m in result.refreshed:
            logger.info(_("{satker} {period} compared again with the quarter this run changed").format(
                satker=satker, period=f"{y}-{m:02d}"))
        if result.published:
            _write_reports(result, warehouse, parallel)
    message = alerts.refusal_alert(result)
    if message is not None:
        result.alerts = alert(warehouse, run_id, message)
    publish_artifacts(quote(result))
    return result


def _write_reports(result: RunResult, warehouse: str, parallel: int) -> None:
    """The reports of each satker of the run (sakip.report). The figures are published: a report that can't
    be drawn must not undo that, it is said in the summary and the alert."""
    clock = time.perf_counter()
    written = None
    try:
        # the run's own and a dead run's it published; then the later quarters it compared again, each naming
        # the refused files of its own run (not this one's)
        periods = sorted({(s.kode_satker, result.tahun, result.bulan) for s in result.satkers} | set(result.recovered))
        written = write_reports(warehouse, periods, result.run_id, parallel)
        if result.refreshed:
            again = write_reports(warehouse, result.refreshed, None, parallel, own_runs=True)
            written = report.Written(written.paths + again.paths, written.documents_seconds + again.documents_seconds,
                                     written.errors + again.errors)
        result.reports = written.paths
        if written.errors:
            result.report_error = alerts.redact(written.error_text())
            get_run_logger().warning(_("reports: not written ({error})").format(error=result.report_error))
    except Exception as exc:
        result.report_error = f"{exc.__class__.__name__}: {alerts.redact(str(exc))}"
        get_run_logger().warning(_("reports: not written ({error})").format(error=result.report_error))
    # two stages, each apart: the workbooks and pages, the Laporan Kinerja drafts
    documents = written.documents_seconds if written is not None else 0.0
    result.timings["reports"] = time.perf_counter() - clock - documents
    result.timings["documents"] = documents


def with_dask(address: str | None):
    """The monthly flow with its file batches on a Dask cluster: the scheduler at `address`
    (tcp://host:8786), or a local cluster of one worker process per core when address is 'local'."""
    from prefect_dask import DaskTaskRunner

    runner = DaskTaskRunner() if address in (None, "", "local") else DaskTaskRunner(address=address)
    return monthly_run.with_options(task_runner=runner)
