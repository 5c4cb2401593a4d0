"""Warm kernels: the reports of a build run in kernels forked from a process that has imported what they need.

A fresh Jupyter kernel costs about two seconds before a report's first line: Python, ipykernel, then pandas,
matplotlib and councilbook. Here each report worker starts one *zygote* process at once, before it runs anything:
it imports ipykernel and the report modules, then waits. For every report, papermill's engine ``councilbook``
(registered in papermill's engine registry, :class:`WarmEngine`) asks the zygote for a kernel; the zygote forks,
and the child becomes an ordinary ipykernel on the connection file Jupyter made for it. The report still runs
as a parameterised notebook through papermill and nbclient, cell by cell, with its outputs and errors as before.

Nothing is shared between reports: each kernel is a new process, forked from the zygote as it was after its
imports, so a report sees neither another report's variables nor what another did to an imported module (its
caches, matplotlib's settings): those changes stay in the process that made them, which ends with its report.

Where a zygote cannot be had (no ``fork`` or ``pidfd_open``: not Linux; or none started in this process), the
engine starts kernels the usual way.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import sys
import threading
import uuid
from dataclasses import dataclass
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from papermill.engines import NBClientEngine, papermill_engines

ENGINE = "councilbook"

# What a report's kernel imports before its first cell: the kernel itself and the report modules (each kind's
# module imports its own: pandas, matplotlib's Figure, openpyxl for the downloads).
WARM_IMPORTS = (
    "ipykernel.kernelapp",
    "councilbook.reports.registry",
    "councilbook.text.charts",
    "matplotlib.backends.backend_svg",
    "matplotlib.backends.backend_agg",
    "openpyxl",
)

_LAUNCHER = "ipykernel_launcher"


def can_fork() -> bool:
    return hasattr(os, "fork") and hasattr(os, "pidfd_open") and hasattr(socket, "send_fds")


# ---------------------------------------------------------------------------------------------------------
# The zygote
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Zygote:
    """The process kernels are forked from, and the socket to ask it for one."""

    pid: int
    channel: socket.socket
    lock: threading.Lock

    def fork_kernel(self, arguments: list[str], cwd: str, env: dict[str, str]) -> tuple[int, int]:
        """A new kernel process run with ipykernel's ``arguments`` (``-f connection.json``) in ``cwd`` with ``env``;
        returns its pid and a pidfd to watch it by."""
        request = json.dumps({"arguments": arguments, "cwd": cwd, "env": env}).encode() + b"\n"
        with self.lock:
            self.channel.sendall(request)
            message, fds, _flags, _address = socket.recv_fds(self.channel, 64, 1)
        if not message or not fds:
            raise OSError("the warm kernels' process ended")
        return int(message.decode()), fds[0]


_zygote: Zygote | None = None


def start_zygote() -> Zygote | None:
    """Start this process's zygote (once); call it before this process runs any kernel (its sockets and threads
    must not be forked). None where kernels cannot be forked."""
    global _zygote
    if _zygote is not None or not can_fork():
        return _zygote
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    pid = os.fork()
    if pid == 0:  # the zygote
        ours.close()
        try:
            _serve(theirs)
        finally:
            os._exit(0)
    theirs.close()
    _zygote = Zygote(pid, ours, threading.Lock())
    return _zygote


def current_zygote() -> Zygote | None:
    return _zygote


def _serve(channel: socket.socket) -> None:
    from councilbook.core.release import die_with_parent

    die_with_parent()  # the zygote, and through it its kernels, end with the worker that started it
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")  # as ipykernel sets it
    import importlib

    for name in WARM_IMPORTS:
        try:
            importlib.import_module(name)
        except ImportError:  # a kernel imports it again (and says so) if a report needs it
            pass
    signal.signal(signal.SIGCHLD, lambda _signum, _frame: _reap())
    reader = channel.makefile("rb")
    for line in reader:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            channel.close()
            _become_kernel(request["arguments"], request["cwd"], request["env"])
        pidfd = os.pidfd_open(pid)  # before the zygote can reap it: the pid is this kernel's
        socket.send_fds(channel, [str(pid).encode()], [pidfd])
        os.close(pidfd)


def _reap() -> None:
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _become_kernel(arguments: list[str], cwd: str, env: dict[str, str]) -> None:
    """In the forked child: an ipykernel as ``python -m ipykernel_launcher ARGUMENTS`` would be; never returns."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        from councilbook.core.release import die_with_parent

        die_with_parent()
        os.setsid()  # a process group of its own, as Jupyter starts kernels
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        # ipykernel read JPY_PARENT_PID when the zygote imported it; the value Jupyter gives this kernel is set
        # the way any of its settings can be (without it the kernel would print a console's connection banner).
        parent = int(env.get("JPY_PARENT_PID") or 0)
        sys.argv = [_LAUNCHER, *arguments, f"--IPKernelApp.parent_handle={parent}"]
        if sys.path and sys.path[0] == "":
            del sys.path[0]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


# ---------------------------------------------------------------------------------------------------------
# Jupyter's side: a kernel process that is not our child
# ---------------------------------------------------------------------------------------------------------


class ForkedKernel:
    """What Jupyter's local provisioner needs of a ``Popen``, for a kernel forked by the zygote."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, pidfd: int) -> None:
        self.pid = pid
        self._pidfd = pidfd
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and select.select([self._pidfd], [], [], 0)[0]:
            self._ended()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        if self.returncode is None and select.select([self._pidfd], [], [], timeout)[0]:
            self._ended()
        return self.returncode

    def _ended(self) -> None:
        self.returncode = 0  # its parent, the zygote, has its exit status; Jupyter needs only that it ended
        os.close(self._pidfd)

    def send_signal(self, signum: int) -> None:
        if self.returncode is None:
            signal.pidfd_send_signal(self._pidfd, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class WarmProvisioner(LocalProvisioner):
    """Jupyter's local provisioner, but the kernel is forked by this process's zygote."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        zygote = current_zygote()
        arguments = _launcher_arguments(cmd)
        if zygote is None or arguments is None:
            return await super().launch_kernel(cmd, **kwargs)
        env = {str(k): str(v) for k, v in (kwargs.get("env") or os.environ).items()}
        env["JPY_PARENT_PID"] = str(os.getpid())  # as Jupyter's launcher sets it for a kernel it starts
        cwd = str(kwargs.get("cwd") or os.getcwd())
        pid, pidfd = zygote.fork_kernel(arguments, cwd, env)
        self.process = ForkedKernel(pid, pidfd)  # type: ignore[assignment]
        self.pid = pid
        self.pgid = pid  # it called setsid()
        self.cwd = cwd
        return self.connection_info


def _launcher_arguments(cmd: list[str]) -> list[str] | None:
    """``[python, -m, ipykernel_launcher, -f, file]`` → ``[-f, file]``; None for any other kernel command."""
    if len(cmd) >= 3 and cmd[1] == "-m" and cmd[2] == _LAUNCHER:
        return list(cmd[3:])
    return None


class WarmKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels come from the zygote when there is one."""

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        if self.provisioner is None and current_zygote() is not None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = WarmProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)


class WarmEngine(NBClientEngine):
    """papermill's nbclient engine with warm kernels (``engine_name="councilbook"``)."""

    @classmethod
    def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, **kwargs: Any) -> Any:
        kwargs.setdefault("kernel_manager_class", WarmKernelManager)
        return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)


# In papermill's engine registry from the moment this module is imported (not through papermill's entry points:
# papermill loads those while it is itself being imported, which would import this module half-way).
papermill_engines.register(ENGINE, WarmEngine)
