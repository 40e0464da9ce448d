# Two commands for a newcomer: `make demo` and `make test`. Both create .venv from the lock file when missing
# (a machine needs only Python 3.11 and pip: uv itself is installed into .uv/ from PyPI).
PYTHON ?= python3
UV_VERSION = 0.13.9
UV = .uv/bin/uv
export UV_PYTHON_DOWNLOADS = never
# The oldest DuckDB the published file must open in (data contract §6); the tests read it with this one.
DUCKDB1_VERSION = 1.1.3

.PHONY: demo test install system-packages clean

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

# Debian's packages the browser and document tests drive (Chromium; LibreOffice Calc with the fonts metric-
# compatible with Arial and Calibri; pdftotext): installed when missing (tests/chromium.py and
# tests/libreoffice.py do the same when a test runs on its own)
SYSTEM_PACKAGES = chromium libreoffice-calc libreoffice-writer poppler-utils fonts-liberation fonts-crosextra-carlito

system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null; then echo "make: no apt-get here to install:" $$missing >&2; exit 0; fi; \
	echo "make: installing" $$missing; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing

demo: install
	.venv/bin/sakip demo --warehouse demo-warehouse

test: install .venv-duckdb1/.installed system-packages
	.venv/bin/ruff check .
	.venv/bin/sqlfluff lint sakip/transforms --processes 1
	.venv/bin/pytest

clean:
	rm -rf .venv .venv-duckdb1 .uv demo-warehouse .pytest_cache
