"""The planners' language: a run with one refused export speaks Indonesian by default, on the terminal, in the
alert and in the Prefect artifact (numbers as 105,73), and English when asked (--lang en or SAKIP_LANG=en)."""
from __future__ import annotations

import json
import shutil
import subprocess

import openpyxl
import pytest

from conftest import BIN, DEMO_INBOX

_ARTIFACT = """
import asyncio, json
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
from prefect.client.schemas.sorting import ArtifactSort

async def latest(key):
    async with get_client() as client:
        found = await client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])),
                                            sort=ArtifactSort.CREATED_DESC, limit=1)
        return found[0].data if found else None

print(json.dumps({"summary": asyncio.run(latest("sakip-summary")), "rows": asyncio.run(latest("sakip-refused-rows"))}))
"""


def _cut_glp039(inbox) -> None:
    """The GLP039 cut off half-way: its JUMLAH row no longer equals its leaves (refused: subtotal)."""
    glp = inbox / "GLP039_672849_JUNI_2025.xlsx"
    book = openpyxl.load_workbook(glp)
    sheet = book.worksheets[0]
    sheet.delete_rows(sheet.max_row - 20, 21)
    book.save(glp)


@pytest.fixture(scope="module")
def runs(sakip, prefect_env, webhook, tmp_path_factory):
    """The same refused GLP039, run once in each language: (stdout, alert payload, artifacts) per language. In
    Indonesian on a new warehouse; in English on one that published the good exports the month before."""
    out = {}
    for lang, how in (("id", {}), ("en", {"SAKIP_LANG": "en"})):
        root = tmp_path_factory.mktemp(f"lang-{lang}")
        if lang == "en":
            good = sakip("run", "--inbox", str(DEMO_INBOX), "--warehouse", str(root / "wh"), "--period", "2025-06")
            assert good.returncode == 0, good.stdout + good.stderr
        shutil.copytree(DEMO_INBOX, root / "inbox")
        _cut_glp039(root / "inbox")
        env = {"SAKIP_ALERT_WEBHOOK_URL": f"{webhook.url}/{lang}", **how}
        result = sakip("run", "--inbox", str(root / "inbox"), "--warehouse", str(root / "wh"), "--period", "2025-06",
                       env=env)
        assert result.returncode == 2, result.stdout + result.stderr
        artifacts = subprocess.run([str(BIN / "python"), "-c", _ARTIFACT], env=prefect_env, capture_output=True,
                                   text=True, check=True, timeout=120)
        [alert] = webhook.for_path(f"/{lang}")
        out[lang] = (result.stdout, alert, json.loads(artifacts.stdout), root / "wh")
    return out


def test_the_terminal_speaks_indonesian_by_default_and_english_when_asked(runs):
    stdout, *_ = runs["id"]
    assert "berkas: 8 diterima, 0 sudah pernah diterima, 1 ditolak" in stdout
    assert "GLP039_672849_JUNI_2025.xlsx: DITOLAK (SAKTI Realisasi Anggaran (GLP039), satker 672849" in stdout
    assert "NKO 105,73% Istimewa (18 dari 24 indikator diukur)" in stdout
    assert "belum ada data untuk periode ini: SAKTI Realisasi Anggaran (GLP039)" in stdout
    # a new warehouse had no earlier budget to keep: it says so, and does not claim a last good version
    assert "belum ada data (tidak ada versi sebelumnya): mart.anggaran_satker, mart.efisiensi" in stdout
    assert "tetap pada versi baik terakhir" not in stdout
    english, *_ = runs["en"]
    assert "files: 0 accepted, 8 already accepted earlier, 1 refused" in english
    assert "GLP039_672849_JUNI_2025.xlsx: REFUSED (SAKTI Realisasi Anggaran (GLP039), satker 672849" in english
    assert "NKO 105.73% Istimewa (18 of 24 indicators measured)" in english
    # the budget published the run before stays, and says so
    assert "kept at its last good version: mart.anggaran_satker, mart.efisiensi" in english
    assert "no data yet (no earlier version" not in english


def test_the_alert_speaks_the_language_of_the_run(runs):
    _, alert, *_ = runs["id"]
    assert alert["subject"] == "[sakip] 1 ekspor ditolak untuk 672849, 2025-06"
    assert "1 berkas ditolak. Kirim ekspor yang sudah diperbaiki: run berikutnya akan memakainya." in alert["body"]
    assert "subtotal" in alert["failures"][0]["checks"]  # the check's code is the same in every language
    _, english, *_ = runs["en"]
    assert english["subject"] == "[sakip] 1 export(s) refused for 672849, 2025-06"
    assert "Send a corrected export: the next run takes it." in english["body"]
    assert english["failures"][0]["checks"] == alert["failures"][0]["checks"]


def test_the_prefect_artifacts_speak_the_language_of_the_run_with_its_numbers(runs):
    _, _, artifacts, _ = runs["id"]
    summary = artifacts["summary"]
    assert summary.index("**1 sumber ditolak**") < summary.index("| satker | NKO |")  # what went wrong comes first
    assert "| 105,73% | Istimewa | 18 dari 24 |" in summary
    assert "## Tabel yang tertahan" in summary
    rows = json.loads(artifacts["rows"])
    assert rows and {"berkas", "baris", "kolom", "nilai", "pemeriksaan", "pesan"} <= set(rows[0])
    _, _, english, _ = runs["en"]
    assert "**1 source(s) refused**" in english["summary"]
    assert "| 105.73% | Istimewa | 18 of 24 |" in english["summary"]
    assert {"file", "row", "column", "check", "message"} <= set(json.loads(english["rows"])[0])


def test_a_file_name_cannot_forge_a_line_of_the_alert_or_the_artifact():
    """A refused file's name is data: its newline, carriage return or '|' must not open a line of the alert's
    body, a row or a column of the artifact's tables, or a heading."""
    from pathlib import Path

    from sakip import alerts, artifacts
    from sakip.findings import Finding
    from sakip.freshness import Stale
    from sakip.ingest import FileOutcome
    from sakip.pipeline import RunResult

    name = "x.csv\n- semua diterbitkan\r# OK | 1 |"
    refused = FileOutcome(Path(name), "ab" * 32, "refused", findings=[Finding("format", "Kode Satker: 'x'", 3)])
    result = RunResult("run-1", 2025, 6, [refused], [], {},
                       stale=[Stale("nko", "672849", 2025, 6, f"{name} ditolak (format)")])
    body = alerts.refusal_alert(result).body
    assert not any(line.startswith(("- semua", "# OK")) for line in body.splitlines()), body
    summary = artifacts.summary_markdown(result)
    assert not any(line.startswith(("- semua", "# OK")) for line in summary.splitlines()), summary
    assert "\r" not in body and "\r" not in summary
    assert "x.csv\\\\n- semua diterbitkan\\\\r# OK \\| 1 \\|" in summary  # escaped as text, shown as written
