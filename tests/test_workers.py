"""Report workers started ahead (``councilbook status`` starts its one while it imports the rest): the pool a
later run takes is that one, its worker already running with its warm kernels' zygote."""

from __future__ import annotations

import os

from councilbook.assembly import warm, workers


def _has_zygote() -> bool:
    return warm.current_zygote() is not None or not warm.can_fork()


def test_a_run_takes_the_worker_started_ahead() -> None:
    workers.start_ahead(1)
    started = workers._ahead
    assert started is not None
    with workers.pool(1) as pool:
        assert pool is started[1]
        assert pool.submit(_has_zygote).result(timeout=60)
        assert pool.submit(os.getpid).result() != os.getpid()
    assert workers._ahead is None  # taken: the next run starts its own


def test_a_run_with_other_workers_gets_a_pool_of_its_own() -> None:
    workers.start_ahead(1)
    ahead = workers._ahead
    assert ahead is not None
    with workers.pool(2) as pool:
        assert pool is not ahead[1]
        pids = {pool.submit(os.getpid).result() for _ in range(8)}
        assert os.getpid() not in pids
    assert workers._ahead is None
