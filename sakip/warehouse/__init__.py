"""The warehouse: one DuckDB file the pipeline writes (`warehouse.duckdb`: raw rows, audit, reference; the
models live in the run's connection only) and one it publishes for analysts (`published.duckdb`, replaced
atomically), plus Parquet copies and an archive of every input file.

    <warehouse>/warehouse.duckdb      the pipeline's own database (single writer)
    <warehouse>/published.duckdb      what analysts open read-only: self-contained, DuckDB 1.1 storage
    <warehouse>/parquet/<yyyy-mm>/<table>/<satker>.parquet       the same rows per satker, one set per period
    <warehouse>/partitions/           published files of the previous version read these; deleted after
    <warehouse>/archive/<sha256>/<original file name>
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class WarehouseBusy(Exception):
    """Another run holds the warehouse, or another program holds its published file for writing."""


@dataclass(frozen=True)
class WarehousePaths:
    root: Path

    @property
    def db(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def published(self) -> Path:
        return self.root / "published.duckdb"

    @property
    def parquet(self) -> Path:
        return self.root / "parquet"

    @property
    def partitions(self) -> Path:  # the previous version's layout, deleted once no published file names it
        return self.root / "partitions"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def ensure(self) -> WarehousePaths:
        for p in (self.root, self.parquet, self.archive, self.logs):
            p.mkdir(parents=True, exist_ok=True)
        return self
