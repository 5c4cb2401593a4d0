"""Report workers: the processes that run report notebooks, each with its warm kernels' zygote (:mod:`warm`).

A build starts them when its reports run. A command that runs a report after work of its own (``councilbook
status`` first computes and prints the goals' table) starts them ahead (:func:`start_ahead`): the worker's start
and the zygote's imports then take the machine's other core while the command works, instead of coming after.
This module imports nothing heavy, so starting ahead costs the command nothing.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor

from councilbook.core.release import die_with_parent

_ahead: tuple[int, ProcessPoolExecutor] | None = None


def prepare_worker() -> None:
    """A report worker ends with the process that started it (its kernels then end too: ipykernel leaves when
    its parent does). Kernels log transport warnings on stderr; errors land in the notebooks, so silence the
    rest. Each worker starts its warm kernels' zygote before it runs a kernel."""
    die_with_parent()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    from councilbook.assembly import warm

    warm.start_zygote()


def start_ahead(workers: int = 1) -> None:
    """Start ``workers`` report workers now, for the reports this process runs later (:func:`pool`)."""
    global _ahead
    if _ahead is None:
        executor = ProcessPoolExecutor(max_workers=workers, initializer=prepare_worker)
        executor.submit(os.getpid)  # a pool starts its workers (and they their zygotes) at its first task
        _ahead = (workers, executor)


def pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` report workers: the one started ahead if it has as many, else a new one. The caller
    shuts it down (``with``)."""
    global _ahead
    started, _ahead = _ahead, None
    if started is not None:
        count, executor = started
        if count == workers:
            return executor
        executor.shutdown()
    return ProcessPoolExecutor(max_workers=workers, initializer=prepare_worker)
