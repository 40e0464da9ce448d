"""What the command line prints for a person after a run or a backfill, in the language of the run
(sakip.i18n). Quiet by default: files counted, not listed (a backfill sees the same files every month), each
refused file once with the months it affects and its first findings, one line per satker; `--verbose`
(SAKIP_VERBOSE=1) lists every file and more of each refusal. Names and cells come from the files: every
line goes through `printable`, so a newline or an escape code in them can't forge a line."""
from __future__ import annotations

from collections import defaultdict

from sakip.findings import printable
from sakip.i18n import _
from sakip.report.format import angka, persen, rupiah

# findings shown under a refused file: a run's few refusals in full enough to act on, a backfill's (the same
# file refused month after month) briefly, --verbose more
RUN_FINDINGS = 5
BACKFILL_FINDINGS = 1
VERBOSE_FINDINGS = 10


def format_run(result, verbose: bool = False) -> str:
    """One run: its files, each satker's figures, what was kept back, what was published and written."""
    lines = [_("sakip: period {period}, run {run_id}").format(period=_period(result.tahun, result.bulan),
                                                              run_id=result.run_id),
             _file_counts(result.files)]
    if verbose:
        lines += [f"  {o.summary()}" for o in result.files if o.status != "refused"]
    for outcome in result.refused:
        lines += _refusal(outcome, [], VERBOSE_FINDINGS if verbose else RUN_FINDINGS)
    if not result.satkers:
        lines.append(_("nothing to compute: no export in the inbox names a satker of the UPT registry"))
    for s in result.satkers:
        lines += _satker(s, detailed=True)
    lines += _refreshed(result.refreshed)
    lines += _stale(result.stale)
    lines += _published(result)
    return "\n".join(printable(line) for line in lines)


def format_backfill(results: list, start: str, end: str, seconds: float, code: int, verbose: bool = False) -> str:
    """A backfill: a line per month (its files counted) and its satkers, then each refused file once with the
    months it was refused in, and what stayed back. `--verbose`: each month as `format_run` prints it."""
    if verbose:
        body = [format_run(r, verbose=True) for r in results]
    else:
        body = []
        refused: dict[str, tuple[object, list[str]]] = {}
        for r in results:
            period = _period(r.tahun, r.bulan)
            body.append(f"{period}: {_file_counts(r.files)}")
            body += [f"  {line}" for s in r.satkers for line in _satker(s, detailed=False)]
            for o in r.refused:
                refused.setdefault(o.sha256, (o, []))[1].append(period)
        for outcome, months in refused.values():
            body += _refusal(outcome, months, BACKFILL_FINDINGS)
        body += _satker_notes(results)
        body += _refreshed([p for r in results for p in r.refreshed])
        body += _stale([s for r in results for s in r.stale])
        # the same skipped entry, report error or alert channel each month: said once
        body += list(dict.fromkeys(line for r in results for line in _published(r, quiet=True)))
        body = ["\n".join(printable(line) for line in body)]
    summary = _("backfill {start} … {end}: {months} month(s) in {seconds} s; exit {code}").format(
        start=start, end=end, months=len(results), seconds=angka(seconds, 1), code=code)
    return "\n".join([*body, summary])


def _period(tahun: int, bulan: int) -> str:
    return f"{tahun}-{bulan:02d}"


def _file_counts(files: list) -> str:
    counts = {s: sum(1 for f in files if f.status == s) for s in ("accepted", "duplicate", "refused")}
    return _("files: {accepted} accepted, {duplicate} already accepted earlier, {refused} refused").format(**counts)


def _refusal(outcome, months: list[str], shown: int) -> list[str]:
    """A refused file, its first findings, and (in a backfill) the months whose runs refused it."""
    headline = outcome.headline()
    if months:  # "x.csv: DITOLAK (…), 3 temuan (ditolak pada 2025-01 … 2025-06):"
        headline = headline.rstrip(":") + " " + _("(refused in {months})").format(months=_ranges(months)) + ":"
    lines = [f"  {headline}"]
    for f in outcome.findings[:shown]:
        where = _("row {row}").format(row=f.row) if f.row is not None else _("file")
        lines.append(f"      {where}: {f.message}")
    if outcome.findings_total > shown and not months:  # a backfill's: audit.validation_failures has them all
        lines.append("      " + _("… {more} more (audit.validation_failures)").format(
            more=outcome.findings_total - shown))
    return lines


def _ranges(months: list[str]) -> str:
    """['2025-01', '2025-02', '2025-03', '2025-05'] → '2025-01 … 2025-03, 2025-05'."""
    def index(m: str) -> int:
        return int(m[:4]) * 12 + int(m[5:]) - 1
    runs: list[list[str]] = []
    for m in sorted(set(months)):
        if runs and index(m) == index(runs[-1][-1]) + 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    return ", ".join(r[0] if len(r) == 1 else f"{r[0]} … {r[-1]}" for r in runs)


def _satker(s, detailed: bool) -> list[str]:
    """A satker's NKO and budget: after a run with the amounts, what it lacks and its unmapped ROs; in a backfill
    (a line a month) the NKO and the budget's share only (what it lacks is said once, `_satker_notes`)."""
    name = f"{s.kode_satker} {s.nama_satker or ''}".strip()
    if s.nko is None:
        nko = _("NKO -: no indicator measured ({total} indicators)").format(total=s.jumlah_iku)
    else:
        nko = _("NKO {nko} {predikat} ({measured} of {total} indicators measured)").format(
            nko=persen(s.nko), predikat=s.predikat or "-", measured=s.jumlah_diukur, total=s.jumlah_iku)
    if not detailed and s.pagu_ro is not None:
        budget = _("budget {percent} of RO pagu").format(percent=persen(s.persen_realisasi))
        lines = [f"{name}: {nko}; {budget}"]
    else:
        lines = [f"{name}: {nko}"]
        if s.pagu_ro is None:
            lines.append("  " + _("budget: no SAKTI realisasi anggaran for this period"))
        else:
            lines.append("  " + _("budget: {realisasi} of {pagu} = {percent} of RO pagu; {dipa} of DIPA; "
                                  "{netto} of DIPA net of blokir").format(
                realisasi=rupiah(s.realisasi), pagu=rupiah(s.pagu_ro), percent=persen(s.persen_realisasi),
                dipa=persen(s.persen_terhadap_dipa), netto=persen(s.persen_terhadap_dipa_netto)))
    if detailed and s.missing:
        lines.append("  " + _("no data yet for this period: {sources}").format(sources=", ".join(s.missing)))
    if detailed and s.unmapped_ro:
        lines.append("  " + _("ROs not in the budget → IKU map: {ros}").format(ros=", ".join(s.unmapped_ro)))
    return lines


def _satker_notes(results: list) -> list[str]:
    """What a backfill's months say of each satker again and again, once: the sources it has no data of yet
    (with the months), the ROs its budget → IKU map does not name."""
    missing: dict[tuple[str, str], list[str]] = defaultdict(list)
    unmapped: dict[str, dict[str, None]] = defaultdict(dict)
    for r in results:
        for s in r.satkers:
            if s.missing:
                missing[(s.kode_satker, ", ".join(s.missing))].append(_period(r.tahun, r.bulan))
            unmapped[s.kode_satker].update(dict.fromkeys(s.unmapped_ro))
    lines = ["  " + _("{satker}: no data yet for {months}: {sources}").format(
        satker=satker, months=_ranges(months), sources=sources) for (satker, sources), months in missing.items()]
    return lines + ["  " + _("{satker}: ROs not in the budget → IKU map: {ros}").format(
        satker=satker, ros=", ".join(ros)) for satker, ros in unmapped.items() if ros]


def _refreshed(periods: list) -> list[str]:
    """Published quarters whose comparison was made again with a quarter the run changed: a line per satker."""
    months: dict[str, list[str]] = defaultdict(list)
    for satker, tahun, bulan in periods:
        months[satker].append(_period(tahun, bulan))
    return ["  " + _("{satker}: {months} compared again with the quarter this run changed").format(
        satker=satker, months=_ranges(sorted(set(found)))) for satker, found in sorted(months.items())]


def _stale(stale: list) -> list[str]:
    """Published tables held back (or published in part) because a source was refused: one line per satker,
    reason and the months it held back, its tables listed."""
    months: dict[tuple, list[str]] = defaultdict(list)
    for s in stale:
        months[(s.kode_satker, s.alasan, s.state(), f"mart.{s.table}")].append(_period(s.tahun, s.bulan))
    tables: dict[tuple, list[str]] = defaultdict(list)
    for (satker, alasan, state, table), periods in months.items():
        tables[(satker, alasan, state, _ranges(periods))].append(table)
    return [f"  {state}: {', '.join(sorted(names))} {satker} {periods} ({alasan})"
            for (satker, alasan, state, periods), names in tables.items()]


def _published(result, quiet: bool = False) -> list[str]:
    lines = []
    if result.published and not quiet:
        lines.append(_("published: {rows} rows in {tables} tables").format(
            rows=sum(result.published.values()), tables=len(result.published)))
    elif result.refused and not result.published and not quiet:
        lines.append(_("published: nothing (no source accepted); the published tables are unchanged"))
    if result.reports and not quiet:
        folders = sorted({str(p.parent) for p in result.reports})
        names = list(dict.fromkeys(p.name for p in result.reports))
        lines.append(_("reports: {folders} ({files})").format(folders=", ".join(folders), files=", ".join(names)))
    if result.report_error:
        lines.append(_("reports: not written ({error})").format(error=result.report_error))
    if result.skipped:
        lines.append(_("skipped, not read: {count}").format(count=len(result.skipped)))
        lines += [f"  {entry.path}: {entry.why}" for entry in result.skipped]
    for d in result.alerts:
        status = _("sent") if d.status == "sent" else _("failed after {attempts} attempts ({error})").format(
            attempts=d.attempts, error=d.error)
        lines.append(_("alert via {channel}: {status}").format(channel=d.channel, status=status))
    return lines
