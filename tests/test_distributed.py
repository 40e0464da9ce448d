"""The per-unit part of the flow (reading and validating the files) on a Dask cluster: a real
distributed.LocalCluster on 127.0.0.1, 3 synthetic units × 2 months; the published figures equal those of the
default run."""
import duckdb
import pytest
from distributed import LocalCluster

from devtools.synth import synth
from sakip.warehouse.publish import PUBLISHED


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth") / "data"
    synth(3, 2, out, seed=5)
    return out


def tables(warehouse):
    con = duckdb.connect(str(warehouse / "published.duckdb"), read_only=True)
    try:
        return {t: con.execute(f"select * from mart.{t} order by all").fetchall() for t in PUBLISHED}
    finally:
        con.close()


def test_a_dask_run_publishes_the_same_figures_as_the_default_run(sakip, data, tmp_path):
    env = {"SAKIP_REFERENCE_DIR": str(data / "reference")}
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                      processes=True) as cluster:
        for month in ("2025-01", "2025-02"):
            default = sakip("run", "--inbox", str(data / "inbox"), "--warehouse", str(tmp_path / "default"),
                            "--period", month, env=env)
            distributed = sakip("run", "--inbox", str(data / "inbox"), "--warehouse", str(tmp_path / "dask"),
                                "--period", month, "--dask", cluster.scheduler_address, env=env)
            assert default.returncode in (0, 2), default.stderr
            assert distributed.returncode == default.returncode, distributed.stdout + distributed.stderr
    published_default, published_dask = tables(tmp_path / "default"), tables(tmp_path / "dask")
    assert published_default["nko"] and len(published_default["nko"]) == 6  # 3 units × 2 months
    assert published_dask == published_default
