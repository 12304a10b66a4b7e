"""A Dask cluster shared by every test of this directory, and the ways they split data.

``LocalCluster(n_workers=2, threads_per_worker=1, processes=False)``: two workers as
in the issue, run as threads of the test process, which starts in a fraction of a
second and needs no free ports or child processes in CI (the benchmark uses worker
processes). Without Dask the test modules of this directory skip themselves.
"""

import numpy as np
import pytest

# rows per chunk: 1000 rows give 27 chunks of 37 and an uneven last chunk of 1 row
CHUNK = 37


@pytest.fixture(scope="session")
def client():
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    )
    with distributed.Client(cluster) as dask_client:
        yield dask_client
    cluster.close()


def _chunked(a, chunk=CHUNK):
    import dask.array as da

    a = np.asarray(a)
    return da.from_array(a, chunks=(chunk,) + a.shape[1:])


def _with_empty_chunks(a):
    import dask.array as da

    a = np.asarray(a)
    half = a.shape[0] // 2
    rows = (0, half, 0, a.shape[0] - half, 0)
    return da.from_array(a, chunks=(rows,) + tuple((s,) for s in a.shape[1:]))


@pytest.fixture
def split(client):
    """``split(a, chunk=37)``: a Dask array of ``a`` in row chunks of ``chunk`` rows."""
    return _chunked


@pytest.fixture
def split_empty(client):
    """``split_empty(a)``: a Dask array of ``a`` whose row chunks include empty ones."""
    return _with_empty_chunks


@pytest.fixture
def frame(client):
    """``frame(columns: dict, npartitions=7)``: a dask DataFrame of the given columns."""
    dd = pytest.importorskip("dask.dataframe", reason="the dask extra is not installed")
    pd = pytest.importorskip("pandas")

    def make(columns, npartitions=7):
        return dd.from_pandas(pd.DataFrame(columns), npartitions=npartitions)

    return make
