"""Resource-hostile inboxes through the real command: peak memory and wall time of each (reports, never asserts).

    .venv/bin/python benchmarks/hostile.py [--cases far_cells,wide] [--scale 1.0] [--kill-mib 4096]
                                           [--timeout 300] [--json PATH] [--keep DIR]

Each case is one small-on-disk file that costs a reader much more than its size: two far-apart cells, a cell
that inflates to 1 GB, 40 million tiny rows, 10,000 columns, 2 million identical rows, one 50 MB line
(`--scale` multiplies every count and size). The files are written into a temp folder by the generators below
(deterministic, no network). Per case: a copy of a warehouse that already published the demo, an inbox holding
only the hostile file, `sakip run --inbox I --warehouse W --period 2025-06 --json` against a Prefect server on
127.0.0.1 with its own PREFECT_HOME. Recorded: exit code, wall seconds, the peak resident size of the `sakip`
process and all its workers together (sampled from /proc every 20 ms), a traceback or Rust panic on stderr, and
the file's status and first finding from the JSON.

The machine is shared: cases run one at a time, each in its own session, and a watchdog kills the whole
process group when the tree passes --kill-mib or the run passes --timeout seconds."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

from national import _tree_rss, start_server  # this folder is on the path of a script run from it

BIN = Path(sys.executable).parent
CHUNK = 16 << 20
REALISASI = "Tahun;Kode Satker;Kode IKU;Bulan;Realisasi;Keterangan"
TITLE = "REALISASI KINERJA TAHUN 2025\nSatuan Kerja : 672849 - Balai POM di Dumai\nTanggal Unduh : 01/07/2025\n\n"


def _watch(proc: subprocess.Popen, state: dict, kill_kib: int, timeout: float) -> None:
    """`_sample_tree` with a trigger: the peak every 20 ms; past the memory or time limit, the whole group is
    killed (the run was started in a session of its own, so its workers are in its group)."""
    started = time.perf_counter()
    while proc.poll() is None:
        rss = _tree_rss(proc.pid)
        state["peak"] = max(state["peak"], rss)
        over_time = time.perf_counter() - started > timeout
        if rss > kill_kib or over_time:
            state["killed"] = f"killed after {timeout:.0f} s" if over_time else f"killed at > {kill_kib // 1024} MiB"
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            return
        time.sleep(0.02)


# --- the hostile files ------------------------------------------------------------------------------------

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/xl/workbook.xml" '
                 'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                 '<Override PartName="/xl/worksheets/sheet1.xml" '
                 'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                 'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = "</sheetData></worksheet>"


def _inline(ref: str | None, text: str) -> str:
    at = f' r="{ref}"' if ref else ""
    return f'<c{at} t="inlineStr"><is><t>{text}</t></is></c>'


def _xlsx(path: Path, sheet_parts) -> None:
    """A minimal workbook; the sheet's XML streamed from `sheet_parts` (strings), DEFLATE-compressed."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, text in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS),
                           ("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)):
            z.writestr(name, text)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            for part in sheet_parts:
                f.write(part.encode())


def _repeated(unit: str, count: int):
    """`unit` × count, in chunks of about 16 MB."""
    per = max(1, CHUNK // len(unit))
    block = unit * per
    for _ in range(count // per):
        yield block
    yield unit * (count % per)


def far_cells(path: Path, scale: float) -> str:
    _xlsx(path, [SHEET_HEAD, '<row r="1">', _inline("A1", "Tahun"), "</row>",
                 '<row r="1048576">', _inline("XFD1048576", "1"), "</row>", SHEET_TAIL])
    return "cells A1 and XFD1048576"


def inflating_cell(path: Path, scale: float) -> str:
    n = int(1e9 * scale)
    _xlsx(path, [SHEET_HEAD, '<row r="1"><c r="A1" t="inlineStr"><is><t>', *_repeated("x", n),
                 "</t></is></c></row>", SHEET_TAIL])
    return f"one inline string of {n:,} chars"


def tiny_rows(path: Path, scale: float) -> str:
    # Rows and cells without r= (optional in OOXML: the next row, the next column), so that the XML is one
    # unit repeated and deflates ~1000:1. A Realisasi header first, so that a reader that survives goes on.
    n = int(40e6 * scale)
    header = "<row>" + "".join(_inline(None, h) for h in REALISASI.split(";")) + "</row>"
    _xlsx(path, [SHEET_HEAD, header, *_repeated("<row><c><v>1</v></c></row>", n), SHEET_TAIL])
    return f"{n:,} rows"


def wide(path: Path, scale: float) -> str:
    n = int(10_000 * scale)
    filler = n - 5
    header = "Tahun;Kode Satker;Kode IKU;Bulan;Realisasi;" + ";".join(f"Kolom {j:05d}" for j in range(filler))
    row = "2025;672849;IKU1.1;B06;90,5;" + ";".join(f"{j % 100000:05d}" for j in range(filler))
    path.write_text(TITLE + header + "\n" + (row + "\n") * 6, encoding="utf-8")
    return f"{n:,} columns, 6 rows"


def duplicates(path: Path, scale: float) -> str:
    n = int(2e6 * scale)
    with open(path, "w", encoding="utf-8") as f:
        f.write(TITLE + REALISASI + "\n")
        for part in _repeated("2025;672849;IKU1.1;B06;90,5;\n", n):
            f.write(part)
    return f"{n:,} identical rows"


def long_line(path: Path, scale: float) -> str:
    n = int(50 * scale * (1 << 20))
    with open(path, "w", encoding="utf-8") as f:
        f.write(TITLE + REALISASI + "\n2025;672849;IKU1.1;B06;90,5;")
        for part in _repeated("x", n):
            f.write(part)
        f.write("\n")
    return f"Keterangan of {n / (1 << 20):,.0f} MiB"


CASES = {"far_cells": (far_cells, "xlsx"), "inflating_cell": (inflating_cell, "xlsx"), "tiny_rows": (tiny_rows, "xlsx"),
         "wide": (wide, "csv"), "duplicates": (duplicates, "csv"), "long_line": (long_line, "csv")}


# --- the runs ---------------------------------------------------------------------------------------------

def run_case(name: str, base: Path, warehouse: Path, env: dict, args) -> dict:
    make, suffix = CASES[name]
    case = base / name
    shutil.rmtree(case, ignore_errors=True)
    (case / "inbox").mkdir(parents=True)
    path = case / "inbox" / f"{name}.{suffix}"
    clock = time.perf_counter()
    what = make(path, args.scale)
    made = time.perf_counter() - clock
    shutil.copytree(warehouse, case / "warehouse")
    state = {"peak": 0, "killed": None}
    with open(case / "stdout", "wb") as out, open(case / "stderr", "wb") as err:
        clock = time.perf_counter()
        proc = subprocess.Popen([str(BIN / "sakip"), "run", "--inbox", str(case / "inbox"), "--warehouse",
                                 str(case / "warehouse"), "--period", "2025-06", "--json"],
                                env=env, stdout=out, stderr=err, start_new_session=True)
        watchdog = threading.Thread(target=_watch, args=(proc, state, args.kill_mib * 1024, args.timeout),
                                    daemon=True)
        watchdog.start()
        proc.wait()
        wall = time.perf_counter() - clock
        watchdog.join()
    try:  # workers that outlived their parent, if any
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    stderr = (case / "stderr").read_bytes().decode(errors="replace")
    result = {"case": name, "file": what, "bytes": path.stat().st_size, "generate_s": round(made, 1),
              "exit": proc.returncode, "seconds": round(wall, 1), "peak_mib": round(state["peak"] / 1024),
              "traceback": "Traceback" in stderr, "panicked": "panicked" in stderr, "killed": state["killed"],
              "status": None, "finding": None, "stderr_head": stderr.strip()[:400],
              "stderr_tail": stderr.strip()[-400:]}
    try:
        run = json.loads((case / "stdout").read_bytes() or b"null")
        first = (run or {}).get("files", [{}])[0]
        result["status"] = first.get("status")
        result["finding"] = next((f["message"] for f in first.get("findings", [])), None)
    except (ValueError, IndexError, KeyError, AttributeError):
        pass
    if not args.keep:
        shutil.rmtree(case, ignore_errors=True)
    return result


def outcome(r: dict) -> str:
    if r["killed"]:
        return r["killed"]
    if r["exit"] < 0:
        first = (r["stderr_head"].splitlines() or [""])[0]
        note = f"died of signal {signal.Signals(-r['exit']).name}" + (f": {first[:90]}" if first else "")
    elif r["status"]:
        finding = r["finding"] or "no finding"
        note = f"{r['status']}: {finding[:150]}" + ("…" if len(finding) > 150 else "")
    else:
        note = (r["stderr_tail"].splitlines() or ["no output"])[0][:110]
    return note + (" [Traceback on stderr]" if r["traceback"] else "") + (" [Rust panic]" if r["panicked"] else "")


def _size(n: int) -> str:
    return f"{n / (1 << 20):,.1f} MB" if n >= 1 << 20 else f"{n / 1024:,.1f} KB"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", default=",".join(CASES), help=f"comma-separated, from: {', '.join(CASES)}")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every case's count or size")
    parser.add_argument("--kill-mib", type=int, default=4096)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--keep", type=Path, help="keep the files, warehouses and outputs here")
    args = parser.parse_args()
    names = [c.strip() for c in args.cases.split(",") if c.strip()]
    if unknown := [c for c in names if c not in CASES]:
        sys.exit(f"unknown cases: {', '.join(unknown)} (known: {', '.join(CASES)})")
    base = args.keep or Path(tempfile.mkdtemp(prefix="sakip-hostile-"))
    base.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    server, url = start_server(base / "prefect-home")
    env = {**os.environ, "PREFECT_API_URL": url}
    results = []
    try:
        warehouse = base / "demo-warehouse"
        shutil.rmtree(warehouse, ignore_errors=True)
        subprocess.run([str(BIN / "sakip"), "demo", "--warehouse", str(warehouse)], env=env, check=True,
                       capture_output=True)
        for name in names:
            print(f"{name} …", file=sys.stderr, flush=True)
            results.append(run_case(name, base, warehouse, env, args))
            print(f"  {outcome(results[-1])}", file=sys.stderr, flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    total = time.perf_counter() - started

    print(f"limits: {args.kill_mib:,} MiB, {args.timeout:.0f} s; scale {args.scale:g}\n")
    print("| case | file | size | exit | seconds | peak MiB | outcome |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['case']} | {r['file']} | {_size(r['bytes'])} | {r['exit']} | {r['seconds']:.1f} | "
              f"{r['peak_mib']:,} | {outcome(r).replace('|', '/')} |")
    print(f"\nbenchmark total: {total:.0f} s (generating the files: {sum(r['generate_s'] for r in results):.0f} s)")
    if args.json:
        args.json.write_text(json.dumps({"kill_mib": args.kill_mib, "timeout": args.timeout, "scale": args.scale,
                                         "total_seconds": round(total, 1), "cases": results}, indent=1))


if __name__ == "__main__":
    main()
