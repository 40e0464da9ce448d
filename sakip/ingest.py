"""Ingest: find the exports in an inbox, read and validate each one, on this process or on several, without
touching the warehouse (but for its archive, when asked: the bytes read are kept there as they are read): each
file's outcome (accepted, already seen, refused with its findings). Loading what was accepted is sakip.load.
Plain functions: the flow calls them, tests call them directly."""
from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from sakip import progress
from sakip.archive import keep
from sakip.findings import Finding, safe_text
from sakip.hooks import checkpoint
from sakip.i18n import N_, _, ngettext
from sakip.processes import in_processes
from sakip.readers import (
    STACKED_BYTES,
    SUPPORTED_SUFFIXES,
    Export,
    Started,
    UnreadableFile,
    file_failure,
    finish_exports,
    start_export,
)
from sakip.readers.limits import Limits, OverLimit
from sakip.readers.limits import current as current_limits
from sakip.report.format import angka
from sakip.schemas import validate_all


@dataclass
class FileOutcome:
    path: Path
    sha256: str
    status: str                     # accepted | refused | duplicate (pending | read while inspected)
    export: Export | None = None
    findings: list[Finding] = field(default_factory=list)
    mtime: float = 0.0
    omitted: int = 0                # findings counted but not kept (past the limit of findings kept)
    loaded_rows: int = 0            # the rows of a frame given to the warehouse (release_data)

    @property
    def findings_total(self) -> int:
        return len(self.findings) + self.omitted

    @property
    def name(self) -> str:
        """The file's name as text: bytes that are no UTF-8 (a name made on another system) as \\xff."""
        return safe_text(self.path.name)

    @property
    def kind(self) -> str | None:
        return self.export.kind.name if self.export and self.export.kind else None

    @property
    def kind_title(self) -> str:
        return self.export.kind.title if self.export and self.export.kind else _("unrecognised file")

    @property
    def rows(self) -> int:
        return self.export.data.height if self.export and self.export.data is not None else self.loaded_rows

    def release_data(self) -> None:
        """The rows are in the warehouse: the frame is let go (a national month holds ~300 MB of them, that the
        models and the publishing would otherwise run beside); its row count stays."""
        if self.export is not None and self.export.data is not None:
            self.loaded_rows, self.export.data = self.export.data.height, None

    def headline(self) -> str:
        """One line for a person, without the findings."""
        if self.status != "refused":
            return self.summary()
        return ngettext("{file}: REFUSED ({what}), {count} finding:", "{file}: REFUSED ({what}), {count} findings:",
                        self.findings_total).format(file=self.name, what=self._what(), count=self.findings_total)

    def _what(self) -> str:
        what = self.kind_title
        if self.export and self.export.satker:
            what += ", " + _("satker {satker}").format(satker=self.export.satker)
        if self.export and self.export.period:
            what += ", " + _("period {period}").format(period=self.export.period)
        if self.export and self.export.inferred:
            what += f" ({self.export.inferred})"
        return what

    def summary(self) -> str:
        """One line for a person."""
        what = self._what()
        if self.status == "accepted":
            return _("{file}: accepted ({what}, {rows} rows)").format(file=self.name, what=what, rows=self.rows)
        if self.status == "duplicate":
            return _("{file}: already accepted earlier (same SHA-256), nothing to do").format(file=self.name)
        first = self.findings[0].message if self.findings else _("refused")
        more = (" " + _("(+{more} more findings)").format(more=self.findings_total - 1)
                if self.findings_total > 1 else "")
        return _("{file}: REFUSED ({what}): {first}").format(file=self.name, what=what, first=first) + more


@dataclass
class Skipped:
    """An entry of the inbox that is not read, and why (a link, a folder or device under an export's name)."""
    path: Path                      # inside the inbox, relative to it
    why: str


def discover(inbox: Path) -> tuple[list[Path], list[Skipped]]:
    """Export files in the inbox and its subfolders, oldest modification first (so that, within one run,
    the later file wins), and what was skipped. Only regular files are read: a symbolic link is never followed
    (it could bring another folder's export, or a system file, into the run and its archive), nor is a FIFO,
    socket or device ever opened. Office lock files (~$…) and hidden files are not exports."""
    root = Path(inbox)
    files, skipped = [], []
    def unreadable(error: OSError) -> None:  # a folder the run may not list, or a path too long to open
        skipped.append(Skipped(Path(error.filename or root), _("a folder that can't be listed ({error})").format(
            error=error.strerror)))

    for folder, dirs, names in os.walk(root, followlinks=False, onerror=unreadable):
        for name in dirs:
            if os.path.islink(os.path.join(folder, name)):
                skipped.append(Skipped(Path(folder) / name, _("a link to a folder: links are not followed")))
            elif Path(name).suffix.lower() in SUPPORTED_SUFFIXES:  # report.xlsx/: a person may expect it read
                skipped.append(Skipped(Path(folder) / name, _("a folder, not a file")))
        for name in names:
            path = Path(folder) / name
            if path.suffix.lower() not in SUPPORTED_SUFFIXES or name.startswith(("~$", ".")):
                continue
            try:
                info = path.lstat()
            except OSError:  # gone since the folder was listed
                continue
            if stat.S_ISLNK(info.st_mode):
                skipped.append(Skipped(path, _("a symbolic link: only regular files in the inbox are read")))
            elif not stat.S_ISREG(info.st_mode):
                skipped.append(Skipped(path, _("not a regular file (a FIFO, socket or device)")))
            else:
                files.append((info.st_mtime, name, path))
    skipped = [Skipped(s.path.relative_to(root) if s.path.is_relative_to(root) else s.path, s.why)
               for s in sorted(skipped, key=lambda s: str(s.path))]
    return [path for _, _, path in sorted(files)], skipped


def read_file(path: Path, limits: Limits) -> tuple[str, bytes | None, os.stat_result]:
    """(SHA-256, the bytes, its status: times and size) of a regular file, read once and never through a link
    (a link swapped in after discovery is refused, not followed). The bytes are None past the size limit: such
    a file is only hashed, in chunks."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(0, "not a regular file")
        if info.st_size <= limits.bytes:
            content = f.read()
            return hashlib.sha256(content).hexdigest(), content, info
        h = hashlib.sha256()
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
        return h.hexdigest(), None, info


def unread_id(path: Path) -> str:
    """An identity for a file the run could not read (its content, and so its checksum, unknown)."""
    return hashlib.sha256(b"unreadable:" + os.fsencode(Path(path).resolve())).hexdigest()


def inspect_all(files: list[Path], known_satkers: set[str] | None, seen: set[str],
                marker: Path | None = None, archive: Path | None = None) -> list[FileOutcome]:
    """Read and validate the inbox's files, in order, without touching the warehouse, but for its `archive`
    folder when given: each new file kept there from the bytes read (sakip.archive). Files are read one by one
    and validated together (one Pandera call per source). A file whose content was accepted before, or
    earlier in this inbox, is a duplicate. `marker`: a file where the position of the file being read is
    written first (`inspect_isolated` finds there which file ended a process)."""
    limits = current_limits()
    outcomes: list[FileOutcome] = []
    held: list[tuple[int, Started]] = []  # parsed together, a layout at a time (sakip.readers)
    size = 0
    for number, path in enumerate(files, start=1):
        progress.step(_("reading {number}/{count}: {file}").format(number=number, count=len(files), file=path.name))
        if marker is not None:
            marker.write_text(str(number - 1))
        checkpoint(f"reading {path.name}")
        outcome, started = _read(path, seen, limits, archive)
        outcomes.append(outcome)
        if started is not None:
            held.append((number - 1, started))
            size += started.kept.estimated_size()
            # each file at once when a crash must be told to be its own; else when those held pass the bound
            if marker is not None or size > STACKED_BYTES:
                _finish(outcomes, held, limits)
                held, size = [], 0
    _finish(outcomes, held, limits)
    del held  # their cells, before the validation
    if marker is not None:
        marker.write_text("validating")
    checked = [o for o in outcomes if o.status == "pending"]
    for outcome, found in zip(checked, _validated([o.export for o in checked], limits.findings)):
        # one finding per cell: a cell the reader already explained (a date that can't be the period) is not
        # reported again by the schema's checks
        said = {(f.row, f.column, f.value) for f in outcome.findings if f.row is not None}
        outcome.findings.extend(f for f in found if f.row is None or (f.row, f.column, f.value) not in said)
        export = outcome.export
        if known_satkers is not None and export.satker and export.satker not in known_satkers:
            outcome.findings.append(Finding("satker_registry", _(
                "satker {satker} is not in the UPT registry (sakip/reference/upt.csv)").format(satker=export.satker),
                column="Kode Satker", value=export.satker))
    for outcome in outcomes:
        if outcome.status == "duplicate":
            continue
        outcome.findings.sort(key=lambda f: (f.row is not None, f.row or 0))
        outcome.omitted = (outcome.export.omitted if outcome.export else 0) + max(0, len(outcome.findings)
                                                                                  - limits.findings)
        del outcome.findings[limits.findings:]
        refused = outcome.findings or outcome.export is None or outcome.export.kind is None
        outcome.status = "refused" if refused else "accepted"
    return _later_copies_are_duplicates(outcomes)


def _validated(exports: list[Export], keep: int) -> list[list[Finding]]:
    """The exports validated together; when that fails (a frame the models can't take), one by one, and an
    export whose validation fails is refused for it: one file never fails the run."""
    try:
        return validate_all(exports, keep)
    except Exception:
        pass
    out = []
    for export in exports:
        try:
            out.append(validate_all([export], keep)[0])
        except Exception as exc:
            out.append([Finding("validation", _("the file could not be validated ({error})").format(
                error=f"{exc.__class__.__name__}: {str(exc)[:300]}"))])
    return out


def _read(path: Path, seen: set[str], limits: Limits, archive: Path | None = None
          ) -> tuple[FileOutcome, Started | None]:
    """The file read: a duplicate, refused (unreadable, past a limit), read up to its data rows (Started, its
    outcome waiting for `_finish`), or pending validation. Whatever goes wrong while reading one file is that
    file's refusal, never the run's failure."""
    try:
        digest, content, info = read_file(path, limits)
    except OSError as exc:  # no permission, gone since discovery, a link or a special file swapped in
        why = exc.strerror or exc.__class__.__name__
        message = _("the run could not open the file ({error})").format(error=why)
        return FileOutcome(path, unread_id(path), "refused", None, [Finding("readable", message)]), None
    mtime = info.st_mtime
    if digest in seen:
        return FileOutcome(path, digest, "duplicate", mtime=mtime), None
    if content is None:
        return FileOutcome(path, digest, "refused", None, [Finding("limit", str(OverLimit(
            "bytes", _("the file is {size} bytes").format(size=angka(info.st_size, 0)), limits)))], mtime), None
    if archive is not None:  # here, not as the run loads: the inbox is not read twice, nor on one process
        keep(archive, digest, safe_text(path.name), content, (info.st_atime_ns, info.st_mtime_ns))
    outcome = FileOutcome(path, digest, "read", None, [], mtime)
    try:
        started = start_export(path, content, limits)
    except BaseException as exc:  # the engines' own failures too; a signal to stop the run is not the file's
        if not file_failure(exc):
            raise
        return _read_as(outcome, exc), None
    if isinstance(started, Export):
        return _read_as(outcome, started), None
    return outcome, started


def _finish(outcomes: list[FileOutcome], started: list[tuple[int, Started]], limits: Limits) -> None:
    """The outcomes of files read up to their data rows, at their positions: their exports finished together."""
    for (i, _file), export in zip(started, finish_exports([file for _i, file in started], limits)):
        outcomes[i] = _read_as(outcomes[i], export)


def _read_as(outcome: FileOutcome, export: Export | BaseException) -> FileOutcome:
    """The outcome of a file read: refused when reading it failed (past a limit, unreadable, the engines' own
    failures), else pending validation, or read (nothing to validate: not a known export, no rows)."""
    path, digest, mtime = outcome.path, outcome.sha256, outcome.mtime
    if isinstance(export, OverLimit):
        return FileOutcome(path, digest, "refused", None, [Finding("limit", str(export))], mtime)
    if isinstance(export, UnreadableFile):
        return FileOutcome(path, digest, "refused", None, [Finding("readable", str(export))], mtime)
    if isinstance(export, BaseException):
        return FileOutcome(path, digest, "refused", None, [Finding(
            "readable", _("the file could not be read ({error})").format(
                error=f"{export.__class__.__name__}: {str(export)[:300]}"))], mtime)
    validated = export.kind is not None and export.data is not None and export.data.height > 0
    return FileOutcome(path, digest, "pending" if validated else "read", export, list(export.findings), mtime)


# Below this many bytes of exports, starting worker processes (~0.5 s each) costs more than it saves.
PARALLEL_MIN_BYTES = 8 << 20
# Each process reads a few smaller batches, one after another, not one large one: what it read goes to the run
# batch by batch, instead of a worker holding its whole share of the month (frames and their pickle, ~350 MB at
# national scale) while the run takes in the other's (the largest moment of a national month's memory).
BATCHES_PER_PROCESS = 4


def inspect_parallel(files: list[Path], known_satkers: set[str] | None, seen: set[str],
                     workers: int, archive: Path | None = None) -> list[FileOutcome]:
    """`inspect_all` on `workers` processes, one batch of files each (reading is CPU-bound Python and Rust;
    threads would share one core). A small inbox is read in this process."""
    count = reading_processes(files, workers)
    if count <= 1:
        return inspect_all(files, known_satkers, seen, archive=archive)
    try:
        results = in_processes(inspect_all, batches(files, count * BATCHES_PER_PROCESS), known_satkers, seen,
                               None, archive, workers=count)
    except BrokenProcessPool:  # a worker died (a native crash, the kernel's out-of-memory killer): find the file
        return inspect_isolated(files, known_satkers, seen, archive)
    return in_inbox_order([o for batch in results for o in batch], files)


def inspect_isolated(files: list[Path], known_satkers: set[str] | None, seen: set[str],
                     archive: Path | None = None) -> list[FileOutcome]:
    """`inspect_all` on a process of its own, which writes down the file it reads: a file whose reading ends
    the process is refused for it, and a new process reads the others again. Costs a process per such file;
    used only after a worker died."""
    refused: list[FileOutcome] = []
    todo = list(files)
    with tempfile.TemporaryDirectory(prefix="sakip-reading-") as folder:
        marker = Path(folder) / "reading"
        while True:
            marker.write_text("")
            try:
                [outcomes] = in_processes(inspect_all, [todo], known_satkers, seen, marker, archive, fresh=True)
                break
            except BrokenProcessPool:
                position = marker.read_text()
                if not position.isdigit():  # it died validating, not reading one file: every file refused
                    refused += [_died(path, DIED_VALIDATING) for path in todo]
                    outcomes = []
                    break
                refused.append(_died(todo.pop(int(position)), DIED_READING))
    return in_inbox_order(outcomes + refused, files)


DIED_READING = N_("reading it ended the process that read it (a crash, or out of memory): the file may be damaged "
                  "or made to harm; it was not read")
DIED_VALIDATING = N_("validating the files ended the process that read it (a crash, or out of memory): the file may "
                     "be damaged or made to harm; it was not read")


def _died(path: Path, message: str) -> FileOutcome:
    """`message`: DIED_READING or DIED_VALIDATING."""
    try:
        digest, _content, info = read_file(path, current_limits())
        mtime = info.st_mtime
    except OSError:
        digest, mtime = unread_id(path), 0.0
    return FileOutcome(path, digest, "refused", None, [Finding("readable", _(message))], mtime)


def reading_processes(files: list[Path], workers: int) -> int:
    """How many processes `inspect_parallel` reads these files on: up to `workers`, one per 8 MB."""
    return min(workers, max(1, sum(p.stat().st_size for p in files) // PARALLEL_MIN_BYTES))


def batches(files: list[Path], count: int) -> list[list[Path]]:
    """Split the inbox into `count` batches of about equal bytes (largest files first), so that parallel workers
    finish together. Order inside the run is restored by `in_inbox_order`."""
    groups: list[list[Path]] = [[] for _ in range(max(1, count))]
    sizes = [0] * len(groups)
    for path in sorted(files, key=lambda p: p.stat().st_size, reverse=True):
        i = sizes.index(min(sizes))
        groups[i].append(path)
        sizes[i] += path.stat().st_size
    return [g for g in groups if g]


def in_inbox_order(outcomes: list[FileOutcome], files: list[Path]) -> list[FileOutcome]:
    """Outcomes of batches inspected apart, back in inbox order; the same content accepted in two batches is
    a duplicate after its first occurrence, as it would have been in one pass."""
    position = {path: i for i, path in enumerate(files)}
    return _later_copies_are_duplicates(sorted(outcomes, key=lambda o: position[o.path]))


def _later_copies_are_duplicates(outcomes: list[FileOutcome]) -> list[FileOutcome]:
    """The same content accepted twice in one inbox: the later copy is a duplicate (nothing to load). Two
    exports of one source, satker and period that state the same export date with other contents: the later
    one is refused as ambiguous (which is newer can't be told)."""
    accepted: set[str] = set()
    dated: dict[tuple, FileOutcome] = {}
    for outcome in outcomes:
        if outcome.status != "accepted":
            continue
        if outcome.sha256 in accepted:
            outcome.status, outcome.export = "duplicate", None
            continue
        accepted.add(outcome.sha256)
        if (key := dated_key(outcome)) is not None:
            if key in dated:
                refuse_as_ambiguous(outcome, dated[key].name)
            else:
                dated[key] = outcome
    return outcomes


def dated_key(outcome: FileOutcome) -> tuple | None:
    export = outcome.export
    if export is None or export.exported_at is None:
        return None
    return outcome.kind, export.satker, export.tahun, export.bulan, export.exported_at


def refuse_as_ambiguous(outcome: FileOutcome, other: str) -> None:
    export = outcome.export
    outcome.status = "refused"
    outcome.findings.append(Finding(
        "ambiguous_export", _("{other} is also a {kind} of {satker} for {period} exported on {date}, with other "
                              "contents: which is newer can't be told. Keep the right one; an export of a later day "
                              "replaces it").format(other=other, kind=outcome.kind_title, satker=export.satker,
                                                    period=export.period, date=f"{export.exported_at:%d/%m/%Y}"),
        column="Tanggal Unduh", value=f"{export.exported_at:%d/%m/%Y}"))
