"""The worker processes: results in order, a dead worker loses only its chunk, a failure is
reported, an interrupted parent leaves no process behind; and the runner's chunks."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mermaidlint import engine, runner, workers

forking = pytest.mark.skipif(not workers.can_fork(), reason="workers are forked on Linux only")


def _square_all(chunk: list[int]) -> list[int]:
    return [n * n for n in chunk]


def _dies_on_seven(chunk: list[int]) -> list[int]:
    if 7 in chunk:
        os._exit(3)  # as a worker killed from outside would, without a word
    return _square_all(chunk)


def _raises_on_seven(chunk: list[int]) -> list[int]:
    if 7 in chunk:
        raise ValueError("seven is not allowed")
    return _square_all(chunk)


CHUNKS = [[n, n + 100] for n in range(12)]


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "executor"])
def test_results_come_back_in_chunk_order(monkeypatch: pytest.MonkeyPatch, fork: bool) -> None:
    if fork and not workers.can_fork():
        pytest.skip("workers are forked on Linux only")
    monkeypatch.setattr(workers, "can_fork", lambda: fork)
    assert workers.map_chunks(_square_all, CHUNKS, 2) == [_square_all(c) for c in CHUNKS]
    assert workers.map_chunks(_square_all, CHUNKS[:1], 4) == [_square_all(CHUNKS[0])]
    assert workers.map_chunks(_square_all, [], 2) == []


@forking
def test_a_dead_worker_loses_only_the_chunk_it_was_working_on() -> None:
    with pytest.raises(workers.WorkerDied) as died:
        workers.map_chunks(_dies_on_seven, CHUNKS, 2)
    assert died.value.lost == [7]
    assert died.value.done == [None if n == 7 else _square_all(c) for n, c in enumerate(CHUNKS)]


def test_a_dead_worker_under_the_executor_loses_everything(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "can_fork", lambda: False)
    with pytest.raises(workers.WorkerDied) as died:
        workers.map_chunks(_dies_on_seven, CHUNKS, 2)
    assert died.value.lost == list(range(len(CHUNKS)))


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "executor"])
def test_an_exception_in_a_worker_is_reported_with_its_traceback(
        monkeypatch: pytest.MonkeyPatch, fork: bool) -> None:
    if fork and not workers.can_fork():
        pytest.skip("workers are forked on Linux only")
    monkeypatch.setattr(workers, "can_fork", lambda: fork)
    with pytest.raises(workers.WorkerFailed, match="ValueError: seven is not allowed"):
        workers.map_chunks(_raises_on_seven, CHUNKS, 2)


def _count_forks(monkeypatch: pytest.MonkeyPatch, fail_after: int | None = None) -> list[int]:
    """The pids of the workers os.fork starts from now on; with ``fail_after``, the forks after
    that many fail."""
    started: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        if fail_after is not None and len(started) >= fail_after:
            raise OSError("no more processes")
        pid = real_fork()
        if pid:
            started.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return started


def _sized_files(folder: Path) -> list[Path]:
    """Enough flowchart files of different sizes for a parallel run of several chunks."""
    paths = []
    for n in range(runner.PARALLEL_THRESHOLD * 2):
        path = folder / f"f{n:02d}.mmd"
        padding = "%% some padding to give the file its size\n" * (60 + n)
        path.write_text("flowchart TD\n  A --> B\n" + padding, encoding="utf-8")
        paths.append(path)
    return paths


@forking
def test_an_interrupted_parent_ends_its_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    class Interrupted:
        def register(self, fd: int, events: int) -> None:
            pass

        def poll(self) -> list[Any]:
            raise KeyboardInterrupt

    started = _count_forks(monkeypatch)
    monkeypatch.setattr(workers.select, "poll", Interrupted)
    with pytest.raises(KeyboardInterrupt):
        workers.map_chunks(_sleep_all, [[30.0]] * 4, 2)
    assert len(started) == 2
    for pid in started:  # each one has been waited for: it is gone
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def _sleep_all(chunk: list[float]) -> list[float]:
    for seconds in chunk:
        time.sleep(seconds)
    return chunk


@forking
def test_workers_end_when_their_work_is_done(monkeypatch: pytest.MonkeyPatch) -> None:
    started = _count_forks(monkeypatch)
    workers.map_chunks(_square_all, CHUNKS, 2)
    assert len(started) == 2
    for pid in started:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
    assert signal.getsignal(signal.SIGINT) is not signal.SIG_DFL  # the parent's is untouched


# ---- the runner's use of them -----------------------------------------------------------------

@given(st.lists(st.integers(min_value=0, max_value=200_000), max_size=300),
       st.integers(min_value=1, max_value=8))
def test_chunks_hold_every_item_once_largest_first(sizes: list[int], count: int) -> None:
    chunks = runner._chunks(sizes, count)
    flat = [n for chunk in chunks for n in chunk]
    assert sorted(flat) == list(range(len(sizes)))
    assert [sizes[n] for n in flat] == sorted(sizes, reverse=True)
    assert all(chunks)
    # Every chunk but the last is as large as its share of what was left, and never tiny.
    left = sum(sizes)
    for chunk in chunks[:-1]:
        filled = sum(sizes[n] for n in chunk)
        assert filled >= max(runner.MIN_CHUNK_BYTES, left // (runner.CHUNK_SHARE * count))
        assert filled - sizes[chunk[-1]] < max(runner.MIN_CHUNK_BYTES,
                                               left // (runner.CHUNK_SHARE * count))
        left -= filled


def _die_on(monkeypatch: pytest.MonkeyPatch, name: str, fatal: Path,
            display_path: Callable[[Any], str]) -> None:
    """Make the runner's chunk function ``name`` end its worker at once, without a word, on the
    chunk that holds ``fatal``."""
    real = getattr(runner, name)

    def dying(chunk: Any) -> Any:
        if any(display_path(item) == str(fatal) for item in chunk):
            os._exit(9)
        return real(chunk)

    monkeypatch.setattr(runner, name, dying)


@forking
def test_a_dead_worker_costs_the_run_only_its_files(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _sized_files(tmp_path)
    _die_on(monkeypatch, "check_chunk", paths[5], lambda item: item.display_path)
    inputs = [runner.Input(str(p), path=p) for p in paths]
    outcomes = runner.run(inputs, engine.Settings(), workers=2)
    lost = [o.display_path for o in outcomes if o.internal_error]
    assert str(paths[5]) in lost
    assert len(lost) < len(paths) // 2  # only the files of the chunk that was lost
    assert all("worker process died" in (o.internal_error or "") for o in outcomes
               if o.display_path in lost)
    checked = [o for o in outcomes if o.result is not None]
    assert len(checked) == len(paths) - len(lost)
    assert [o.display_path for o in outcomes] == [str(p) for p in paths]


@forking
def test_a_dead_worker_under_fix_costs_only_its_files(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _sized_files(tmp_path)
    _die_on(monkeypatch, "_fix_chunk", paths[3], lambda item: item[0].display_path)
    inputs = [runner.Input(str(p), path=p) for p in paths]
    done = runner.run_fix(inputs, engine.Settings(), runner.FixMode(), workers=2)
    assert [d.outcome.display_path for d in done] == [str(p) for p in paths]
    lost = [d.outcome.display_path for d in done if d.outcome.internal_error]
    assert str(paths[3]) in lost and len(lost) < len(paths) // 2
    assert all(d.outcome.result is not None for d in done if d.outcome.display_path not in lost)


@forking
def test_a_failed_fork_leaves_no_pipe_open_and_no_worker_behind(
        monkeypatch: pytest.MonkeyPatch) -> None:
    before = set(os.listdir("/proc/self/fd"))
    started = _count_forks(monkeypatch, fail_after=1)
    with pytest.raises(OSError, match="no more processes"):
        workers.map_chunks(_square_all, CHUNKS, 2)
    assert set(os.listdir("/proc/self/fd")) == before
    assert len(started) == 1
    with pytest.raises(ChildProcessError):  # the first worker was ended and waited for
        os.waitpid(started[0], os.WNOHANG)


def test_a_process_running_other_threads_does_not_fork_its_workers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def no_forks(*args: Any) -> Any:
        raise AssertionError("forked while another thread ran")

    monkeypatch.setattr(workers, "_map_with_forks", no_forks)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        # (a function the server process can import: the chunks and it are pickled)
        assert workers.map_chunks(sum, [[1, 2], [3, 4, 5], [6]], 2) == [3, 12, 6]
    finally:
        release.set()
        other.join()
