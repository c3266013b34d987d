"""Run a function over chunks of work in worker processes: :func:`map_chunks`.

Where the operating system forks (Linux), the workers are forked children that already hold the
chunks and the function, and only chunk numbers and pickled results cross pipes. Elsewhere, and
in a process that runs other threads (a library caller's), the standard library's
:class:`~concurrent.futures.ProcessPoolExecutor` does the same job.

Why not the executor everywhere: importing it (``concurrent.futures``, ``multiprocessing`` and
what they import) took about 30 ms of the parent's serial start on this project's 2-core
machine (``python -X importtime``, in a slow spell), and it pickles every chunk's items down a
queue, from a feeder thread, to workers that could have inherited them. Without it the parent of
a cold check of the Atlas corpus executes 10% fewer instructions, and starts its workers about
40 ms sooner.

Each worker takes one chunk at a time: the parent hands out the next chunk number to whichever
worker has just sent a result, so a slow chunk never holds back the others. A worker that dies
(killed, out of memory) loses only the chunk it was working on; :class:`WorkerDied` names those.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

Chunk = TypeVar("Chunk")
Result = TypeVar("Result")

# What a worker sends after each chunk: the chunk's number, whether the function returned
# (1) or raised (0), and the length of the pickled result (or of the error's text) that follows.
_HEADER = struct.Struct("<IBQ")
_TASK = struct.Struct("<I")  # a chunk number, from the parent to one worker
_NO_MORE = 0xFFFFFFFF  # the task that tells a worker to end


class WorkerDied(Exception):
    """Worker processes ended before sending the results of the chunks in ``lost``; ``done``
    holds the results of the others (None where lost)."""

    def __init__(self, lost: list[int], done: list[Any], detail: str) -> None:
        super().__init__(detail)
        self.lost = lost
        self.done = done


class WorkerFailed(Exception):
    """The function raised in a worker; the message is the worker's traceback."""


def can_fork() -> bool:
    """Whether workers are forked here. Not on macOS, where a forked child may crash in system
    libraries (Python itself stopped forking there by default in 3.8)."""
    return hasattr(os, "fork") and sys.platform.startswith("linux")


def map_chunks(function: Callable[[Chunk], Result], chunks: Sequence[Chunk],
               workers: int) -> list[Result]:
    """``[function(chunk) for chunk in chunks]``, computed in up to ``workers`` processes.

    Raises :class:`WorkerDied` when a worker ends without sending a chunk's result, and
    :class:`WorkerFailed` when ``function`` raises (no result is returned then)."""
    workers = max(1, min(workers, len(chunks)))
    if not chunks:
        return []
    forking = can_fork()
    if forking and _only_thread():
        return _map_with_forks(function, chunks, workers)
    # Where fork is the default (Linux, Python before 3.14), a process running other threads
    # starts its workers from a clean server process instead.
    return _map_with_executor(function, chunks, workers, fork_server=forking)


def _only_thread() -> bool:
    """Whether this process runs one thread: forking a process that runs others (a library
    caller's) may copy a lock another thread holds into a child that then waits for ever."""
    threading = sys.modules.get("threading")  # (not imported: no other thread was started)
    return threading is None or threading.active_count() <= 1


def _map_with_executor(function: Callable[[Chunk], Result], chunks: Sequence[Chunk],
                       workers: int, fork_server: bool) -> list[Result]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("forkserver") if fork_server else None
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return list(pool.map(function, chunks))
    except BrokenProcessPool as exc:
        # The executor cannot tell which chunks were lost: all of them are.
        raise WorkerDied(list(range(len(chunks))), [None] * len(chunks), str(exc)) from None
    except Exception as exc:
        raise WorkerFailed("".join(traceback.format_exception(exc)).rstrip()) from None


def _map_with_forks(function: Callable[[Chunk], Result], chunks: Sequence[Chunk],
                    workers: int) -> list[Result]:
    children: dict[int, _Child] = {}  # by the file descriptor the parent reads results from
    finished = False
    try:
        for _ in range(workers):
            child = _start(function, chunks, children)
            children[child.results] = child
        results = _collect(chunks, children)
        finished = True
        return results
    finally:
        _end(children.values(), finished)


class _Child:
    """A worker as the parent sees it: its process, and the parent's ends of the pipe the worker
    reads chunk numbers from and of the pipe it writes results to."""

    __slots__ = ("pid", "results", "tasks")

    def __init__(self, pid: int, tasks: int, results: int) -> None:
        self.pid = pid
        self.tasks = tasks
        self.results = results


def _start(function: Callable[[Chunk], Any], chunks: Sequence[Chunk],
           others: dict[int, _Child]) -> _Child:
    task_read, task_write = os.pipe()
    result_read, result_write = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # (too many processes, no memory): the pipes are not left open
        for fd in (task_read, task_write, result_read, result_write):
            os.close(fd)
        raise
    if pid == 0:  # the worker: it never returns from here
        status = 1
        try:
            os.close(task_write)
            os.close(result_read)
            for other in others.values():  # the other workers' pipes: theirs and the parent's
                os.close(other.tasks)
                os.close(other.results)
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it quietly
            _serve(function, chunks, task_read, result_write)
            status = 0
        finally:
            os._exit(status)  # no interpreter teardown, no atexit hook, no buffer flush
    os.close(task_read)
    os.close(result_write)
    return _Child(pid, task_write, result_read)


def _serve(function: Callable[[Chunk], Any], chunks: Sequence[Chunk], tasks: int,
           results: int) -> None:
    """The worker's loop: run the chunks it is told to, until told to end."""
    while True:
        raw = _read_exactly(tasks, _TASK.size)
        if raw is None:
            return
        (number,) = _TASK.unpack(raw)
        if number == _NO_MORE:
            return
        try:
            payload = pickle.dumps(function(chunks[number]), pickle.HIGHEST_PROTOCOL)
            returned = 1
        except Exception as exc:
            payload = "".join(traceback.format_exception(exc)).rstrip().encode()
            returned = 0
        _write_all(results, _HEADER.pack(number, returned, len(payload)) + payload)


def _collect(chunks: Sequence[Any], children: dict[int, _Child]) -> list[Any]:
    """Hand out the chunks and gather their results, until every worker has ended."""
    results: list[Any] = [None] * len(chunks)
    received = [False] * len(chunks)
    pending = iter(range(len(chunks)))
    failure: str | None = None
    for child in children.values():
        _assign(child, next(pending, None))
    poller = select.poll()
    for fd in children:
        poller.register(fd, select.POLLIN)
    open_pipes = set(children)
    while open_pipes:
        for fd, _event in poller.poll():
            child = children[fd]
            header = _read_exactly(fd, _HEADER.size)
            payload = None
            if header is not None:
                number, returned, length = _HEADER.unpack(header)
                payload = _read_exactly(fd, length)
            if payload is None:  # the worker ended (perhaps in the middle of a result)
                poller.unregister(fd)
                open_pipes.discard(fd)
                continue
            _assign(child, None if failure else next(pending, None))
            if returned:
                results[number] = pickle.loads(payload)
                received[number] = True
            else:
                failure = failure or payload.decode(errors="replace")
    if failure is not None:
        raise WorkerFailed(failure)
    lost = [n for n, got in enumerate(received) if not got]
    if lost:
        raise WorkerDied(lost, results, f"a worker process ended before finishing "
                                        f"{len(lost)} of {len(chunks)} chunks of work")
    return results


def _assign(child: _Child, number: int | None) -> None:
    """Give ``child`` chunk ``number`` to work on, or tell it to end (None)."""
    # (an error here means the worker has ended: its results pipe tells the parent so)
    with contextlib.suppress(OSError):
        os.write(child.tasks, _TASK.pack(_NO_MORE if number is None else number))


def _end(children: Iterable[_Child], finished: bool) -> None:
    """Close the parent's ends of the pipes and wait for every worker to end. ``finished``:
    every worker has closed its results pipe, so is ending; otherwise (the parent was
    interrupted, or something failed) the workers are terminated first."""
    for child in children:
        for fd in (child.tasks, child.results):
            with contextlib.suppress(OSError):
                os.close(fd)
        if not finished:
            with contextlib.suppress(OSError):
                os.kill(child.pid, signal.SIGTERM)
    for child in children:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(child.pid, 0)


def _read_exactly(fd: int, size: int) -> bytes | None:
    """``size`` bytes from the pipe, or None if it ends first."""
    data = bytearray()
    while len(data) < size:
        more = os.read(fd, size - len(data))
        if not more:
            return None
        data += more
    return bytes(data)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
