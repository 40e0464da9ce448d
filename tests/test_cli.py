"""The command line's promises: exit 0 / 2 / 1, a readable message, never a traceback."""
import re
import shutil

from builders import published, write_realisasi
from conftest import DEMO_INBOX, ROOT


def test_a_refused_source_exits_2_says_why_and_the_rest_is_published(sakip, tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(DEMO_INBOX, inbox)
    # A GLP039 cut off half-way: its JUMLAH row no longer equals its leaves.
    glp = inbox / "GLP039_672849_JUNI_2025.xlsx"
    import openpyxl
    book = openpyxl.load_workbook(glp)
    sheet = book.worksheets[0]
    last = sheet.max_row
    sheet.delete_rows(last - 20, 21)
    book.save(glp)
    result = sakip("run", "--inbox", str(inbox), "--warehouse", str(tmp_path / "wh"), "--period", "2025-06")
    out = result.stdout + result.stderr
    assert result.returncode == 2, out
    assert "Traceback" not in out
    assert "GLP039_672849_JUNI_2025.xlsx: DITOLAK" in out
    assert "baris subtotal JUMLAH SELURUHNYA" in out and "terpotong atau rusak" in out
    assert "belum ada data untuk periode ini: SAKTI Realisasi Anggaran (GLP039)" in out
    # the performance figures still published
    assert "NKO 105,73% Istimewa" in out
    [(nko,)] = published(tmp_path / "wh", "select round(nko, 2) from mart.nko")
    assert nko == 105.73
    failures = published(tmp_path / "wh", "select nama_file, pemeriksaan, baris from audit.validation_failures")
    assert failures and all(f[0] == "GLP039_672849_JUNI_2025.xlsx" for f in failures)
    assert {f[1] for f in failures} == {"subtotal"}


def test_an_unrecognised_file_is_refused_with_what_was_expected(sakip, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "catatan.csv").write_text("Nama;Alamat\nBudi;Dumai\n")
    write_realisasi(inbox / "realisasi.csv", [("IKU1.1", 6, 90.0)])
    result = sakip("run", "--inbox", str(inbox), "--warehouse", str(tmp_path / "wh"), "--period", "2025-06")
    assert result.returncode == 2
    assert "catatan.csv: DITOLAK (berkas tidak dikenali), 1 temuan:" in result.stdout
    assert "berkas: bukan ekspor yang dikenali" in result.stdout
    # only a Realisasi arrived: the run says what it lacks
    assert "belum ada data untuk periode ini: SIMETRIS Rencana Aksi PK (RAPK)" in result.stdout
    assert "NKO -: belum ada indikator yang diukur (0 indikator)" in result.stdout


def test_a_bad_period_is_refused_before_anything_runs(sakip, tmp_path):
    result = sakip("run", "--inbox", str(tmp_path), "--warehouse", str(tmp_path / "wh"), "--period", "2025-13")
    assert result.returncode == 1
    assert "period '2025-13' is not a valid month" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_internal_error_exits_1_without_a_traceback(sakip, tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(DEMO_INBOX, inbox)
    warehouse = tmp_path / "wh"
    warehouse.mkdir()
    (warehouse / "warehouse.duckdb").write_text("this is not a database")
    result = sakip("run", "--inbox", str(inbox), "--warehouse", str(warehouse), "--period", "2025-06")
    assert result.returncode == 1
    assert "kesalahan internal" in result.stderr and "tidak ada yang diterbitkan" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert list((warehouse / "logs").glob("error-*.log"))
    assert not (warehouse / "published.duckdb").exists()


def test_backfill_runs_the_months_in_order(sakip, prefect_env, tmp_path):
    warehouse = tmp_path / "wh"
    result = sakip("backfill", "--inbox", str(DEMO_INBOX), "--warehouse", str(warehouse), "--from", "2025-05",
                   "--to", "2025-06")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.index("2025-05: berkas") < result.stdout.index("2025-06: berkas")
    assert "backfill 2025-05 … 2025-06: 2 bulan" in result.stdout
    # May has no target in the RAPK: nothing measured; June is the report's
    assert published(warehouse, "select bulan, round(nko, 2), jumlah_diukur from mart.nko order by bulan") == \
        [(5, None, 0), (6, 105.73, 18)]
    # the runs are named for what they compute, in the Prefect UI
    import httpx
    names = {r["name"] for r in httpx.post(f"{prefect_env['PREFECT_API_URL']}/flow_runs/filter", json={
        "flow_runs": {"name": {"any_": ["sakip-backfill-2025-05..2025-06", "sakip-2025-05"]}}}).json()}
    assert names == {"sakip-backfill-2025-05..2025-06", "sakip-2025-05"}


def test_a_backfill_of_three_units_over_six_months_fits_one_screen(sakip, tmp_path):
    """Quiet by default: each month's files counted, each refused file once with the months it was refused in;
    --verbose lists every file of every month."""
    from devtools.synth import synth

    manifest = synth(3, 6, tmp_path / "synth", seed=3, workers=1)
    env = {"SAKIP_REFERENCE_DIR": str(tmp_path / "synth" / "reference")}
    args = ["backfill", "--inbox", str(tmp_path / "synth" / "inbox"), "--from", "2025-01", "--to", "2025-06"]
    result = sakip(*args, "--warehouse", str(tmp_path / "wh"), env=env, timeout=900)
    assert result.returncode in (0, 2), result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) <= 40, result.stdout
    assert [line[:7] for line in lines if ": berkas:" in line] == [f"2025-{m:02d}" for m in range(1, 7)]
    assert sum("NKO" in line for line in lines) == 3 * 6  # a line per unit and month
    refused = [line for line in lines if ": DITOLAK (" in line]
    # each bad file of the data set once, with the months whose runs refused it (all six: it stays in the inbox)
    assert len(refused) == len(manifest["bad_files"]) > 0
    assert all(line.endswith("(ditolak pada 2025-01 … 2025-06):") for line in refused), refused
    assert "sudah pernah diterima (SHA-256 sama)" not in result.stdout  # counted, not listed
    verbose = sakip(*args, "--warehouse", str(tmp_path / "wh2"), "--verbose", env=env, timeout=900)
    assert len(verbose.stdout.splitlines()) > 3 * len(lines)
    assert "sudah pernah diterima (SHA-256 sama)" in verbose.stdout


def test_backfill_refuses_a_range_that_runs_backwards(sakip, tmp_path):
    result = sakip("backfill", "--inbox", str(tmp_path), "--warehouse", str(tmp_path / "wh"), "--from", "2025-06",
                   "--to", "2025-01")
    assert result.returncode == 1 and "--from 2025-06 is after --to 2025-01" in result.stderr


def test_json_output_is_the_run_as_data_and_nothing_else(sakip, tmp_path):
    import json
    result = sakip("demo", "--warehouse", str(tmp_path / "wh"), "--json")
    assert result.returncode == 0
    march, june = json.loads(result.stdout)  # the whole of stdout is one JSON document: the demo's two runs
    assert (march["period"], march["exit_code"], june["period"], june["exit_code"]) == ("2025-03", 0, "2025-06", 0)
    [satker] = june["satkers"]
    assert satker["kode_satker"] == "672849" and round(satker["nko"], 2) == 105.73 and satker["predikat"] == "Istimewa"
    [satker] = march["satkers"]
    assert satker["kode_satker"] == "672849" and round(satker["nko"], 2) == 97.01 and satker["predikat"] == "Baik"
    # March accepts the inbox's 9 files, its own Realisasi among them; June finds them accepted already
    assert [f["status"] for f in march["files"]] == ["accepted"] * 9
    assert [f["status"] for f in june["files"]] == ["duplicate"] * 9
    assert {f["file"]: f["period"] for f in march["files"]}["Realisasi_Kinerja_672849_2025_B03.csv"] == "2025-03"
    assert march["published"]["capaian_iku"] == june["published"]["capaian_iku"] == 24
    assert result.stderr == ""  # no progress lines, no logs: not a terminal


def test_the_command_exits_fast_but_its_last_logs_reach_the_server(sakip, prefect_env, tmp_path):
    """The command skips Python's teardown at exit, not its exit handlers: the flow run's logs, up to the
    engine's last line, are on the Prefect server, and the run's state is final."""
    import json

    import httpx

    result = sakip("demo", "--warehouse", str(tmp_path / "wh"), "--json")
    assert result.returncode == 0
    runs = json.loads(result.stdout)
    api = prefect_env["PREFECT_API_URL"]
    assert [r["period"] for r in runs] == ["2025-03", "2025-06"]
    for each in runs:  # the demo's two flow runs, March's and June's
        run_id = each["run_id"]
        logs = httpx.post(f"{api}/logs/filter", json={"logs": {"flow_run_id": {"any_": [run_id]}}, "limit": 200,
                                                       "sort": "TIMESTAMP_ASC"}).json()
        messages = [log["message"] for log in logs]
        assert any("berkas ekspor di inbox" in m for m in messages)
        assert "Finished in state Completed()" in messages[-1]
        run = httpx.get(f"{api}/flow_runs/{run_id}").json()
        assert run["state"]["type"] == "COMPLETED"
        assert run["name"] == f"sakip-{each['period']}"  # named for what it computes


def test_progress_lines_per_stage_for_a_person_at_a_terminal(sakip, tmp_path):
    # what the command line turns on when stderr is a terminal
    result = sakip("demo", "--warehouse", str(tmp_path / "wh"), env={"SAKIP_PROGRESS": "1"})
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    # the demo's two runs, March's and June's, each read the inbox's 9 files
    assert any("membaca 1/9: " in line for line in lines) and any("membaca 9/9: " in line for line in lines)
    assert not any("/10: " in line for line in lines)
    assert any("672849 · menghitung 2025-03" in line for line in lines)
    assert any("672849 · menghitung 2025-06" in line for line in lines)
    assert sum("menerbitkan 1 satker-bulan" in line for line in lines) == 2


def test_progress_is_on_only_for_a_terminal_without_json(monkeypatch):
    import io
    import os

    from sakip import cli

    class Tty(io.StringIO):
        def isatty(self):
            return True
    for stderr, as_json, expected in [(Tty(), False, "1"), (Tty(), True, None), (io.StringIO(), False, None)]:
        monkeypatch.delenv("SAKIP_PROGRESS", raising=False)
        monkeypatch.setattr("sys.stderr", stderr)
        cli._progress(as_json)
        assert os.environ.get("SAKIP_PROGRESS") == expected


def test_every_setting_is_read_in_one_module_and_documented():
    """`sakip/settings.py` reads every SAKIP_* variable; no other module of the package does, and the operators'
    page lists each one."""
    variables = set(re.findall(r'"(SAKIP_[A-Z_]+)"', (ROOT / "sakip" / "settings.py").read_text()))
    assert len(variables) == 16
    operations = (ROOT / "docs" / "operations.md").read_text()
    assert [v for v in sorted(variables) if f"`{v}`" not in operations] == []
    for module in (ROOT / "sakip").rglob("*.py"):
        if module.name != "settings.py":
            assert not re.search(r"environ(\.get)?[\[(]f?[\"']SAKIP_", module.read_text()), module


def test_a_bad_setting_is_refused_before_anything_runs(sakip, tmp_path):
    result = sakip("demo", "--warehouse", str(tmp_path / "wh"), env={"SAKIP_LOCK_WAIT_SECONDS": "sebentar"})
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == "sakip: SAKIP_LOCK_WAIT_SECONDS harus berupa jumlah detik, bukan 'sebentar'"
    assert not (tmp_path / "wh").exists()


def test_help_and_usage_errors_keep_their_exit_codes(sakip):
    assert sakip("--help").returncode == 0
    result = sakip("bogus")
    assert result.returncode == 2 and "invalid choice" in result.stderr and "Traceback" not in result.stderr


def test_a_setting_that_never_ends_a_wait_is_refused(sakip, tmp_path):
    for name, value in (("SAKIP_ZOMBIE_AFTER_SECONDS", "inf"), ("SAKIP_LOCK_WAIT_SECONDS", "nan"),
                        ("SAKIP_DUCKDB_MEMORY_LIMIT", "lots"), ("SAKIP_REFERENCE_DIR", str(tmp_path / "typo"))):
        result = sakip("reference", "check", env={name: value})
        assert result.returncode == 2, (name, result.stderr)
        assert result.stderr.startswith(f"sakip: {name} ") and "Traceback" not in result.stderr
