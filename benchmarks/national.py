"""The pipeline at national scale, measured in one run (reports, never asserts: the machine is shared).

    .venv/bin/python benchmarks/national.py [--units 10] [--months 3] [--years 1] [--seed 0] [--keep DIR]

With --years K, K years of M months each (the last one 2025) of the same units, one after the other on the
same warehouse: each month of the last year against the same month of the first says whether a run grows with
history (wall time, CPU time, each stage, peak memory).

1. `python -m devtools.synth` writes N units × M months of exports (and their reference data);
2. the pipeline runs month by month, as the monthly schedule would: the inbox of month m holds only the exports
   of month m (the yearly RAPK and POK arrive with month 1), `sakip run --json` against a Prefect server on
   127.0.0.1; each month's wall time, its stages and the time outside them (Prefect and process start-up) are
   recorded; peak memory is the largest resident size of a run, its worker processes included; its CPU time
   (user + system, the run and its workers: they end before it does, so their time is counted in its own);
   (the stages: read_validate, open (the warehouse locked and opened, its reference tables loaded), load,
   transform, commit, publish, checkpoint (the warehouse file written at close), and reports: the workbook and
   HTML page per satker, and at a quarter's end the Laporan Kinerja
   draft, a stage of its own (`documents`: what the drafts add to a month);
3. the baseline, the floor: the same files read as text (fastexcel / csv) and inserted into DuckDB, with no
   validation, no models, no orchestration.
Prints ratios: pipeline / baseline, rows per second, month M / month 1 (and the same for the baseline: what the
data itself grows by); and the same ratio of CPU time, which a busy shared machine disturbs less than wall time
(the pipeline uses every core, the baseline one)."""
from __future__ import annotations

import argparse
import atexit
import csv
import io
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import duckdb
import fastexcel
import httpx
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def start_server(home: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_UI_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    proc = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/api"
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.5)


def _tree_rss(pid: int) -> int:
    """Resident KiB of a process and all its descendants (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                total += next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:  # it ended meanwhile
            pass
    return total


def _sample_tree(proc: subprocess.Popen, peaks: list[int]) -> None:
    """The largest resident size of a run with its worker processes, sampled every 50 ms."""
    while proc.poll() is None:
        rss = _tree_rss(proc.pid)
        peaks[0], peaks[1] = max(peaks[0], rss), max(peaks[1], rss)
        time.sleep(0.05)


def _children_cpu() -> float:
    """User + system seconds of this process's children that have ended (a run, with its workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def baseline(by_month: dict[int, list[Path]], db: Path) -> tuple[dict[int, float], int, float]:
    """Read every file as text and insert it into DuckDB: no header search, no types, no checks. Seconds per
    month's files, rows, and the CPU seconds of it all (DuckDB's threads included)."""
    con = duckdb.connect(str(db))
    rows, seconds, n = 0, {}, 0
    cpu = time.process_time()
    for month in sorted(by_month):
        started = time.perf_counter()
        rows += _baseline_files(con, by_month[month], n)
        n += len(by_month[month])
        seconds[month] = time.perf_counter() - started
    con.close()
    return seconds, rows, time.process_time() - cpu


def _baseline_files(con: duckdb.DuckDBPyConnection, files: list[Path], first: int) -> int:
    rows = 0
    for n, path in enumerate(files, start=first):
        if path.suffix == ".xlsx":
            frame = fastexcel.read_excel(str(path)).load_sheet(0, header_row=None, dtypes="string").to_polars()
        else:
            raw = path.read_bytes()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("cp1252")
            sep = ";" if text.count(";") > text.count(",") else ","
            records = list(csv.reader(io.StringIO(text), delimiter=sep))
            width = max(len(r) for r in records)
            frame = pl.DataFrame([r + [""] * (width - len(r)) for r in records], orient="row",
                                 schema=[f"c{i}" for i in range(width)])
        con.register("f", frame)
        con.execute(f"create table t{n} as select * from f")
        con.unregister("f")
        rows += frame.height
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10)
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--years", type=int, default=1, help="years of history, the last one 2025")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="keep the data and warehouse here")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="sakip-national-"))
    if args.keep is None:  # a national year's exports, warehouse and baseline: ~3.7 GB left in /tmp each run
        atexit.register(shutil.rmtree, base, True)
    data, warehouse = base / "data", base / "warehouse"
    shutil.rmtree(data, ignore_errors=True)
    shutil.rmtree(warehouse, ignore_errors=True)

    years = list(range(2025 - args.years + 1, 2026))
    clock = time.perf_counter()
    by_month, input_rows, files = defaultdict(list), 0, 0
    for year in years:
        out = data / str(year)
        # the same seed every year: the same units (their codes and names), each year's own exports
        subprocess.run([str(BIN / "python"), "-m", "devtools.synth", "--units", str(args.units), "--months",
                        str(args.months), "--out", str(out), "--seed", str(args.seed), "--year", str(year)],
                       check=True, capture_output=True, cwd=ROOT)
        listing = list(csv.DictReader(open(out / "files.csv", encoding="utf-8")))
        for f in listing:
            by_month[(year, int(f["month"] or 1))].append(out / f["file"])
        input_rows += sum(int(f["rows"]) for f in listing)
        files += len(listing)
    synth_seconds = time.perf_counter() - clock

    server, url = start_server(base / "prefect-home")
    months, peaks = [], [0, 0]  # the largest of every run, of this run
    try:
        for year, month in sorted(by_month):
            env = {**os.environ, "PREFECT_API_URL": url, "SAKIP_REFERENCE_DIR": str(data / str(year) / "reference")}
            inbox = base / "inbox" / f"{year}-{month:02d}"
            shutil.rmtree(inbox, ignore_errors=True)
            inbox.mkdir(parents=True)
            for path in by_month[(year, month)]:
                os.link(path, inbox / path.name)
            clock, cpu = time.perf_counter(), _children_cpu()
            run = subprocess.Popen([str(BIN / "sakip"), "run", "--inbox", str(inbox), "--warehouse", str(warehouse),
                                    "--period", f"{year}-{month:02d}", "--json"], env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
            peaks[1] = 0
            sampler = threading.Thread(target=_sample_tree, args=(run, peaks), daemon=True)
            sampler.start()
            stdout, stderr = run.communicate()
            wall = time.perf_counter() - clock
            cpu = _children_cpu() - cpu
            sampler.join()
            if run.returncode not in (0, 2):
                sys.exit(f"month {year}-{month:02d} failed: {stderr[-2000:]}")
            result = json.loads(stdout)
            months.append({"year": year, "month": month, "wall": wall, "cpu": cpu, "stages": result["timings"],
                           "documents": result["timings"].get("documents", 0.0),
                           "files": len(by_month[(year, month)]), "peak_mib": peaks[1] / 1024,
                           "published_mib": (warehouse / "published.duckdb").stat().st_size / 2**20})
    finally:
        server.terminate()
        server.wait(timeout=30)
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    (base / "baseline.duckdb").unlink(missing_ok=True)
    floor_by_month, floor_rows, floor_cpu = baseline({m: f for (y, m), f in by_month.items() if y == years[-1]},
                                          base / "baseline.duckdb")
    floor = sum(floor_by_month.values())

    history = months
    months = [m for m in months if m["year"] == years[-1]]  # the year measured against the baseline
    total = sum(m["wall"] for m in months)
    stages = defaultdict(float)
    for m in months:
        for k, v in m["stages"].items():
            stages[k] += v
    inside = sum(stages.values())
    print(f"data: {args.units} units × {args.months} months × {len(years)} year(s), {files} files, "
          f"{input_rows:,} data rows (synth {synth_seconds:.1f} s); below: the year {years[-1]}")
    print(f"pipeline, month by month: {total:.1f} s; {input_rows / total:,.0f} rows/s")
    for k, v in stages.items():
        print(f"  {k:<14} {v:7.1f} s  {v / total:5.1%}")
    print(f"  outside stages {total - inside:7.1f} s  {(total - inside) / total:5.1%}  (Prefect, process start-up)")
    names = list(stages)
    print("  month   wall    cpu  " + "  ".join(f"{k[:9]:>9}" for k in names) + "    outside   peak MiB")
    for m in months:
        inside_m = sum(m["stages"].values())
        print(f"  {m['month']:5d} {m['wall']:6.1f} {m['cpu']:6.1f}  "
              + "  ".join(f"{m['stages'].get(k, 0):9.1f}" for k in names)
              + f"  {m['wall'] - inside_m:9.1f}   {m['peak_mib']:8.0f}   ({m['files']} files)")
    together = max(peaks[0] / 1024, peak_mib)  # sampled: it can miss a peak the kernel's maximum saw
    print(f"peak memory of a run: {together:,.0f} MiB, all its processes together (the largest one: "
          f"{peak_mib:,.0f} MiB)")
    print(f"baseline (read as text + insert into DuckDB): {floor:.1f} s for {floor_rows:,} rows; per month: "
          + ", ".join(f"{floor_by_month[m]:.1f}" for m in sorted(floor_by_month)))
    reports = stages.get("reports", 0.0) + stages.get("documents", 0.0)
    print(f"ratio pipeline / baseline: {total / floor:.2f}; without writing the reports for people: "
          f"{(total - reports) / floor:.2f}")
    cpu = sum(m["cpu"] for m in months)
    cores = os.cpu_count() or 1
    print(f"CPU time, user + system: pipeline {cpu:.1f} s (the runs with their workers: {cpu / (total * cores):.0%} "
          f"of {cores} cores over its wall time), baseline {floor_cpu:.1f} s: ratio {cpu / floor_cpu:.2f}")
    for m in months:
        if m["documents"]:
            print(f"Laporan Kinerja drafts, month {m['month']}: {m['documents']:.1f} s, "
                  f"+{m['documents'] / (m['wall'] - m['documents']):.1%} on the month without them")
    if len(months) > 1:
        last = months[-1]
        print(f"ratio month {last['month']} / month 1: {last['wall'] / months[0]['wall']:.2f}; "
              f"month {last['month']} / month 2: {last['wall'] / months[1]['wall']:.2f} "
              f"(month 1 also ingests the yearly RAPK and POK)")
        # what the data itself grows by: SIPT exports are cumulative for the year
        print(f"the baseline, same months: month {last['month']} / month 1: "
              f"{floor_by_month[last['month']] / floor_by_month[1]:.2f}; month {last['month']} / month 2: "
              f"{floor_by_month[last['month']] / floor_by_month[2]:.2f}")


    if len(years) > 1:
        _history(history, years, floor_by_month)


def _history(history: list[dict], years: list[int], floor_by_month: dict[int, float]) -> None:
    """Each month of each year (wall and CPU time, the stages, the peak memory of its run), then the last year against
    the first, month by month, and each year's growth from month 2 to its last against the baseline's."""
    names = list(dict.fromkeys(k for m in history for k in m["stages"]))
    print("every month: wall, CPU of the run with its workers, stages (s), peak memory of the run with its workers "
          "(MiB), published.duckdb (MiB)")
    print("     month   wall    cpu  " + "  ".join(f"{k[:9]:>9}" for k in names) + "    outside   peak  published")
    for m in history:
        inside = sum(m["stages"].values())
        print(f"  {m['year']}-{m['month']:02d} {m['wall']:6.1f} {m['cpu']:6.1f}  "
              + "  ".join(f"{m['stages'].get(k, 0):9.2f}" for k in names)
              + f"  {m['wall'] - inside:9.1f}  {m['peak_mib']:5.0f}  {m['published_mib']:9.1f}")
    at = {(m["year"], m["month"]): m for m in history}
    first, last = years[0], years[-1]
    print(f"{last} against {first}, same month: wall, cpu, " + ", ".join(names))
    for month in sorted({m["month"] for m in history}):
        a, b = at.get((first, month)), at.get((last, month))
        if a and b:
            ratios = [b["stages"].get(k, 0) / a["stages"][k] if a["stages"].get(k) else float("nan") for k in names]
            print(f"  month {month:2d}: {b['wall'] / a['wall']:5.2f}  {b['cpu'] / a['cpu']:5.2f}  "
                  + "  ".join(f"{r:5.2f}" for r in ratios))
    months = sorted({m["month"] for m in history})
    if len(months) > 1:
        floor = floor_by_month[months[-1]] / floor_by_month[months[1]]
        for year in years:
            a, b = at.get((year, months[1])), at.get((year, months[-1]))
            if a and b:
                ratio = b["wall"] / a["wall"]
                print(f"{year}: month {months[-1]} / month {months[1]} {ratio:.2f}, {ratio / floor:.2f} x the "
                      f"baseline's own ({floor:.2f}, {last})")
    print(f"peak memory, largest month: {max(m['peak_mib'] for m in history):,.0f} MiB")


if __name__ == "__main__":
    main()
