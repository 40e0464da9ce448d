# Two commands for a newcomer: `make demo` and `make test`. Both create .venv from the lock file when missing
# (a machine needs only Python 3.11 and pip: uv itself is installed into .uv/ from PyPI).
PYTHON ?= python3
UV_VERSION = 0.13.9
UV = .uv/bin/uv
export UV_PYTHON_DOWNLOADS = never
# The oldest DuckDB the published file must open in (data contract §6); the tests read it with this one.
DUCKDB1_VERSION = 1.1.3

.PHONY: demo test install clean

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# --compile-bytecode: where PYTHONDONTWRITEBYTECODE is set (as on these machines) every process would
# otherwise compile Prefect, polars and the rest from source again: 1.7 s of each run's start-up
.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	touch $@

install: .venv/.synced

# DuckDB 1.x beside the project's 2.x, in an environment of its own: what analysts' tools have
.venv-duckdb1/.installed:
	$(PYTHON) -m venv .venv-duckdb1
	.venv-duckdb1/bin/pip install --quiet --disable-pip-version-check duckdb==$(DUCKDB1_VERSION)
	touch $@

demo: install
	.venv/bin/sakip demo --warehouse demo-warehouse

test: install .venv-duckdb1/.installed
	.venv/bin/ruff check .
	.venv/bin/sqlfluff lint sakip/transforms --processes 1
	.venv/bin/pytest

clean:
	rm -rf .venv .venv-duckdb1 .uv demo-warehouse .pytest_cache
