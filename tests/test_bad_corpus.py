"""Every file of the bad corpus (tests/corpus/bad, built by tests/corpus/build_bad_corpus.py), dropped alone into
an inbox and run through the whole flow with the real `sakip` command on a warehouse that already holds the
Dumai demo: exit 2, a readable message naming the problem, an audit.validation_failures row with the expected
check, exactly one alert delivered to a webhook receiver on 127.0.0.1, and a published file whose checksum has
not changed. No traceback reaches the user."""
from __future__ import annotations

import csv
import hashlib
import re
import shutil
from concurrent.futures import ThreadPoolExecutor

import duckdb
import pytest

from conftest import ROOT

CORPUS = ROOT / "tests" / "corpus" / "bad"
CASES = list(csv.DictReader(open(CORPUS / "MANIFEST.csv", encoding="utf-8")))


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def parquet_state(warehouse):
    return {str(p.relative_to(warehouse)): sha256(p) for p in sorted((warehouse / "parquet").rglob("*.parquet"))}


@pytest.fixture(scope="module")
def runs(sakip, template, webhook, tmp_path_factory):
    base = tmp_path_factory.mktemp("corpus")

    def run_case(index_case):
        index, case = index_case
        warehouse, inbox = base / f"wh{index}", base / f"inbox{index}"
        shutil.copytree(template, warehouse)
        inbox.mkdir()
        shutil.copy(CORPUS / case["file"], inbox / case["file"])
        before = (sha256(warehouse / "published.duckdb"), parquet_state(warehouse))
        result = sakip("run", "--inbox", str(inbox), "--warehouse", str(warehouse), "--period", "2025-06",
                       env={"SAKIP_ALERT_WEBHOOK_URL": f"{webhook.url}/case/{index}", "SAKIP_ALERT_RETRY_DELAY": "0.1",
                            "SAKIP_LANG": "en"})  # the manifest's fragments are of the English messages
        after = (sha256(warehouse / "published.duckdb"), parquet_state(warehouse))
        con = duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True)
        try:
            failures = con.execute("select nama_file, baris, kolom, nilai, pemeriksaan, pesan "
                                   "from audit.validation_failures").fetchall()
            alerts = con.execute("select saluran, status, subjek, galat from audit.alerts").fetchall()
        finally:
            con.close()
        return case["file"], dict(result=result, before=before, after=after, failures=failures, alerts=alerts,
                                  index=index)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(run_case, enumerate(CASES)))


def test_the_corpus_is_large_and_covers_every_source():
    assert len(CASES) >= 30
    assert {c["source"] for c in CASES} >= {"simetris_rapk", "simetris_realisasi", "sakti_realisasi", "sakti_pok",
                                            "sakti_capaian_output", "sipt_sampel", "sipt_pemeriksaan",
                                            "sipt_rekomendasi"}
    assert all((CORPUS / c["file"]).exists() for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_a_bad_file_is_refused_cleanly(case, runs, webhook):
    run = runs[case["file"]]
    result = run["result"]
    out = result.stdout + result.stderr
    assert result.returncode == 2, out
    assert "Traceback" not in out
    assert f"{case['file']}: REFUSED" in out
    assert case["message_contains"].lower() in out.lower(), out
    # the findings are kept, with the expected check among them
    assert run["failures"], "no audit.validation_failures row"
    assert {f[0] for f in run["failures"]} == {case["file"]}
    assert case["expected_check"] in {f[4] for f in run["failures"]}
    # exactly one alert, delivered, saying which file and check
    [alert] = webhook.for_path(f"/case/{run['index']}")
    assert {"subject", "body", "satker", "period", "failures"} <= set(alert)
    assert alert["period"] == "2025-06"
    assert alert["failures"][0]["file"] == case["file"]
    assert case["expected_check"] in alert["failures"][0]["checks"]
    assert run["alerts"] == [("webhook", "sent", alert["subject"], None)]
    # nothing published changed, and the webhook's address (a secret) appears nowhere
    assert run["after"] == run["before"]
    assert webhook.url not in out


# checks that one file alone can't raise, each tested where it can be
ELSEWHERE = {"ambiguous_export": "two exports of one period in one inbox: tests/test_hostile_inbox.py",
             "validation": "the validation itself failing: tests/test_ingest_failures.py"}


def test_every_documented_check_fires_on_the_corpus_and_none_other(runs):
    """docs/validation.md lists every check code; each one is raised by some file of the corpus (SIPT sources
    included), and no code is raised that the page does not list."""
    table = (ROOT / "docs" / "validation.md").read_text().split("| check | what | where |")[1].split("\n\n")[0]
    documented = {code for cell in re.findall(r"^\| ([^|]+) \|", table, re.M) for code in re.findall(r"`(\w+)`", cell)}
    fired = {f[4] for run in runs.values() for f in run["failures"]}
    assert fired <= documented, fired - documented
    assert documented - fired == set(ELSEWHERE), documented - fired
    sipt = {f[4] for c in CASES if c["source"].startswith("sipt_") for f in runs[c["file"]]["failures"]}
    assert {"required", "allowed_value", "date_not_after_export", "page_header", "lhu_not_before_receipt"} <= sipt
