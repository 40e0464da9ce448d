"""Failures inside one run's ingest that the command line can't provoke on demand: a file the run may not open,
a worker process that dies reading a file, a run that waited for the lock while another accepted its files,
secrets in error texts."""
from __future__ import annotations

import os
import shutil

import pytest

from builders import edit_text, write_realisasi
from conftest import DEMO_INBOX
from sakip import ingest, load
from sakip.alerts import redact
from sakip.pipeline import build_and_publish, previously_accepted
from sakip.warehouse import WarehousePaths


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """These tests read the checks' English messages (tests/test_messages_id.py: the Indonesian default)."""
    monkeypatch.setenv("SAKIP_LANG", "en")


def test_a_file_the_run_may_not_open_is_refused_for_it(tmp_path, monkeypatch):
    path = write_realisasi(tmp_path / "realisasi.csv", [("IKU1.1", 6, 90.0)])
    real_open = os.open

    def denied(file, flags, *args, **kwargs):  # what a file of another account, mode 0600, gives
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, flags, *args, **kwargs)
    monkeypatch.setattr(os, "open", denied)
    [outcome] = ingest.inspect_all([path], None, set())
    assert outcome.status == "refused"
    assert [(f.check, f.message) for f in outcome.findings] == [
        ("readable", "the run could not open the file (Permission denied)")]


def test_a_file_the_validation_itself_fails_on_is_refused_for_it_alone(tmp_path, monkeypatch):
    """The models failing on one file (a frame they can't take: a bug, not the file's fault) refuse that file
    with the reason (`validation`); the other files are validated as usual."""
    files = [write_realisasi(tmp_path / f"{name}.csv", [("IKU1.1", 6, value)])
             for name, value in (("good", 90.0), ("odd", 91.0))]
    real = ingest.validate_all

    def failing(exports, keep=None):
        if any(e.path.name == "odd.csv" for e in exports):
            raise RuntimeError("a frame the model can't take")
        return real(exports, keep)
    monkeypatch.setattr(ingest, "validate_all", failing)
    good, odd = ingest.inspect_all(files, None, set())
    assert good.status == "accepted"
    assert odd.status == "refused" and [(f.check, f.message) for f in odd.findings] == [
        ("validation", "the file could not be validated (RuntimeError: a frame the model can't take)")]


def test_a_link_swapped_in_after_discovery_is_not_followed(tmp_path):
    target = write_realisasi(tmp_path / "elsewhere.csv", [("IKU1.1", 6, 90.0)])
    link = tmp_path / "inbox.csv"
    link.symlink_to(target)
    [outcome] = ingest.inspect_all([link], None, set())
    assert outcome.status == "refused" and outcome.findings[0].check == "readable"


def test_a_worker_that_dies_reading_a_file_is_that_files_refusal(tmp_path, monkeypatch):
    """The worker reading `doomed.csv` is killed (SIGKILL, as the kernel's out-of-memory killer would): that
    file is refused for it, the others are read on new processes."""
    files = [write_realisasi(tmp_path / f"{name}.csv", [("IKU1.1", 6, 90.0 + i)])
             for i, name in enumerate(["first", "doomed", "third", "fourth"])]
    monkeypatch.setattr(ingest, "PARALLEL_MIN_BYTES", 1)
    monkeypatch.setenv("SAKIP_KILL_AT", "reading doomed.csv")  # the spawned workers inherit it
    outcomes = ingest.inspect_parallel(files, None, set(), 2)
    assert [(o.name, o.status) for o in outcomes] == [("first.csv", "accepted"), ("doomed.csv", "refused"),
                                                      ("third.csv", "accepted"), ("fourth.csv", "accepted")]
    assert "ended the process that read it" in outcomes[1].findings[0].message
    assert outcomes[1].sha256 == ingest.read_file(files[1], ingest.current_limits())[0]


def test_a_run_that_waited_for_the_lock_sees_what_the_other_accepted(tmp_path):
    """Two runs read the warehouse's checksums before either commits (a scheduled run waits for the lock):
    the second must find the files the first accepted meanwhile, not insert them again."""
    paths = WarehousePaths(tmp_path / "wh")
    inbox = tmp_path / "inbox"
    shutil.copytree(DEMO_INBOX, inbox)
    seen, satkers = previously_accepted(paths)
    files = ingest.discover(inbox)[0]
    first = ingest.inspect_all(files, satkers, seen)
    second = ingest.inspect_all(files, satkers, seen)  # read before the first committed
    assert build_and_publish(first, paths, 2025, 6, "run-1", str(inbox)).exit_code == 0
    result = build_and_publish(second, paths, 2025, 6, "run-2", str(inbox))
    assert result.exit_code == 0
    assert {o.status for o in result.files} == {"duplicate"}


@pytest.mark.parametrize("text", [
    "POST hooks.slack.com/services/T000/B000/XXXXSECRET failed",
    "https://example.org/hook?token=XXXXSECRET",
    "connect to user:XXXXSECRET@hooks.example.org refused",
    "10.1.2.3:8080/XXXXSECRET timed out",
])
def test_redaction_covers_any_url_like_secret(text):
    assert "XXXXSECRET" not in redact(text)


def test_redaction_removes_the_configured_address_however_it_is_written(monkeypatch):
    monkeypatch.setenv("SAKIP_ALERT_WEBHOOK_URL", "https://intranet/hook/XXXXSECRET")
    assert "XXXXSECRET" not in redact("failed: intranet/hook/XXXXSECRET (no scheme, no dot)")


def test_a_pemeriksaan_row_without_jenis_sarana_is_refused(tmp_path):
    """Jenis Sarana is required (docs/formats.md); the model did not say so, and such a row was accepted."""
    source = DEMO_INBOX / "SIPT_Pemeriksaan_672849_2025_B06.csv"
    raw = source.read_bytes()
    lines = raw.split(b"\r\n") if b"\r\n" in raw else raw.split(b"\n")
    header_at = next(i for i, line in enumerate(lines) if b"Jenis Sarana" in line)
    column = lines[header_at].split(b";").index(b"Jenis Sarana")
    cells = lines[header_at + 1].split(b";")
    cells[column] = b""
    lines[header_at + 1] = b";".join(cells)
    path = tmp_path / source.name
    path.write_bytes((b"\r\n" if b"\r\n" in raw else b"\n").join(lines))
    [outcome] = ingest.inspect_all([path], None, set())
    assert outcome.status == "refused"
    assert [(f.check, f.row, f.column) for f in outcome.findings] == [("required", header_at + 2, "Jenis Sarana")]


def test_a_signal_to_stop_the_run_is_not_taken_for_the_files_refusal(tmp_path, monkeypatch):
    """Prefect turns SIGTERM into a BaseException while a file is being read: the run must stop, not record
    the file as refused and go on publishing."""
    class TerminationSignal(BaseException):
        pass

    def stopped(*args, **kwargs):
        raise TerminationSignal()
    path = write_realisasi(tmp_path / "realisasi.csv", [("IKU1.1", 6, 90.0)])
    monkeypatch.setattr(ingest, "start_export", stopped)
    with pytest.raises(TerminationSignal):
        ingest.inspect_all([path], None, set())


def test_a_file_changed_after_it_was_read_is_not_loaded_and_its_new_content_is_kept(tmp_path):
    paths = WarehousePaths(tmp_path / "wh")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = write_realisasi(inbox / "realisasi.csv", [("IKU1.1", 6, 90.0)])
    seen, satkers = previously_accepted(paths)
    outcomes = ingest.inspect_all([path], satkers, seen)
    assert outcomes[0].status == "accepted"
    path.write_text("GANTI;isi\n")  # changed while the run was reading other files
    result = build_and_publish(outcomes, paths, 2025, 6, "run-1", str(inbox))
    [outcome] = result.files
    assert outcome.status == "refused" and "changed" in outcome.findings[0].message
    import hashlib
    changed = hashlib.sha256(b"GANTI;isi\n").hexdigest()
    assert (paths.archive / changed / "realisasi.csv").read_bytes() == b"GANTI;isi\n"
    assert not (paths.archive / outcome.sha256).exists()


def test_the_files_are_archived_as_read_by_the_processes_that_read_them(tmp_path, monkeypatch):
    """The centre's run keeps each file in the archive from the bytes its reading workers read: a file changed
    afterwards is loaded as it was read and archived, and the run does not read the inbox again to archive."""
    paths = WarehousePaths(tmp_path / "wh")
    paths.ensure()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    files = [write_realisasi(inbox / f"realisasi-{m}.csv", [("IKU1.1", m, 90.0 + m)]) for m in (5, 6)]
    os.utime(files[0], ns=(1_700_000_000_000_000_000, 1_600_000_000_123_456_789))
    read = {path.name: path.read_bytes() for path in files}
    seen, satkers = previously_accepted(paths)
    outcomes = ingest.inspect_parallel(files, satkers, seen, 1, paths.archive)
    for outcome in outcomes:
        kept = paths.archive / outcome.sha256 / outcome.name
        assert kept.read_bytes() == read[outcome.name]
    assert (paths.archive / outcomes[0].sha256 / files[0].name).stat().st_mtime_ns == 1_600_000_000_123_456_789
    assert not list(paths.archive.glob(".*.partial"))
    files[0].write_text("GANTI;isi\n")  # changed after it was read: what was read is what is kept and loaded
    copied = []  # what the run copies from the inbox as it loads: nothing
    monkeypatch.setattr(load, "place", lambda partial, target, times: copied.append(target))
    result = build_and_publish(outcomes, paths, 2025, 6, "run-1", str(inbox))
    assert [f.status for f in result.files] == ["accepted", "accepted"] and copied == []
    assert sorted(p.name for p in paths.archive.glob("*/*")) == sorted(read)


def test_a_copy_the_reader_could_not_keep_is_made_as_the_run_loads(tmp_path):
    paths = WarehousePaths(tmp_path / "wh")  # no archive folder yet: the reader's copy fails, quietly
    path = write_realisasi(tmp_path / "realisasi.csv", [("IKU1.1", 6, 90.0)])
    [outcome] = ingest.inspect_all([path], None, set(), archive=paths.archive)
    assert outcome.status == "accepted" and not paths.archive.exists()
    build_and_publish([outcome], paths, 2025, 6, "run-1", str(tmp_path))
    assert (paths.archive / outcome.sha256 / "realisasi.csv").read_bytes() == path.read_bytes()


def test_csv_with_lines_ended_by_cr_alone_is_read(tmp_path):
    path = write_realisasi(tmp_path / "realisasi.csv", [("IKU1.1", 6, 90.0), ("IKU1.2", 6, 80.0)], sep=";")
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\r").replace(b"\n", b"\r"))
    [outcome] = ingest.inspect_all([path], None, set())
    assert outcome.status == "accepted" and outcome.rows == 2


def test_numbers_and_months_in_other_scripts_or_past_32_bits_are_findings(tmp_path):
    path = tmp_path / "realisasi.csv"
    path.write_text("Tahun;Kode Satker;Kode IKU;Bulan;Realisasi;Keterangan\n"
                    "4294969321;672849;IKU1.1;B06;90;\n2025;672849;IKU1.2;B\u0660\u0666;90;\n", encoding="utf-8")
    [outcome] = ingest.inspect_all([path], None, set())
    checks = {(f.check, f.row) for f in outcome.findings}
    assert ("int", 2) in checks and ("month", 3) in checks


def test_a_file_past_the_size_limit_is_hashed_not_read(tmp_path, monkeypatch):
    reference = tmp_path / "reference"
    reference.mkdir()
    (reference / "batas_berkas.csv").write_text("batas,nilai,keterangan\nukuran_berkas,100,test\n")
    monkeypatch.setenv("SAKIP_REFERENCE_DIR", str(reference))
    path = write_realisasi(tmp_path / "realisasi.csv", [("IKU1.1", 6, 90.0)])
    [outcome] = ingest.inspect_all([path], None, set())
    size = path.stat().st_size
    assert outcome.status == "refused" and outcome.findings[0].check == "limit"
    assert outcome.findings[0].message.startswith(f"the file is {size} bytes: the limit is 100 (ukuran_berkas")
    import hashlib
    assert outcome.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_reader_holds_files_for_their_layouts_parse_up_to_a_bound(tmp_path, monkeypatch):
    """Files wait, read up to their data rows, to be parsed with the others of their layout; past the bound on
    what waits they are parsed at once: the outcomes are the same either way."""
    import sakip.readers as readers

    files = [write_realisasi(tmp_path / f"{m}.csv", [("IKU1.1", m, 90.0), ("IKU1.2", m, 80.0)]) for m in (4, 5, 6)]
    edit_text(files[1], "80", "delapan puluh")
    parses = []
    real = readers._parse_stacked
    monkeypatch.setattr(readers, "_parse_stacked", lambda members: parses.append(len(members)) or real(members))

    def seen(outcomes):
        return [(o.status, [(f.check, f.row, f.value) for f in o.findings], o.export.data.to_dicts())
                for o in outcomes]
    together = seen(ingest.inspect_all(files, None, set()))
    assert parses == [3] and [s for s, _, _ in together] == ["accepted", "refused", "accepted"]
    parses.clear()
    monkeypatch.setattr(ingest, "STACKED_BYTES", 0)
    assert seen(ingest.inspect_all(files, None, set())) == together and parses == [1, 1, 1]
