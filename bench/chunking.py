"""How evenly do the runner's chunks share a corpus between worker processes?

Measures the CPU time of checking each file of the corpus on one core, then replays the runner's
chunking (runner._chunks, handed out the way the runner hands them: the next chunk to the first
idle worker), and for comparison equal chunks in file order (what the runner used to cut, 2 to
32 per worker), and prints how long the run would take against the ideal (all workers busy to
the end). A script to run by hand, not a timed test:

    python bench/chunking.py [--corpus DIR] [--workers 2]
"""

from __future__ import annotations

import argparse
import heapq
import time
from pathlib import Path

from mermaidlint import engine, files, runner

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "atlas"


def file_costs(corpus: Path) -> tuple[list[runner._Item], dict[str, float]]:
    found, missing = files.discover([str(corpus)])
    if missing:
        raise SystemExit(f"chunking: {missing}")
    settings = engine.Settings()
    items = [runner._Item(display, None, path.read_bytes(), settings, None)
             for path, display in found]
    for item in items:  # warm up: imports, grammar tables, compiled patterns
        runner.check_chunk([item])
    costs = {}
    for item in items:
        start = time.process_time()
        runner.check_chunk([item])
        costs[item.display_path] = time.process_time() - start
    return items, costs


def equal_chunks(items: list[runner._Item], count: int) -> list[list[runner._Item]]:
    """About ``count`` runs of about equal size in bytes, in file order."""
    target = max(1, sum(len(item.data or b"") for item in items) // count)
    chunks: list[list[runner._Item]] = [[]]
    filled = 0
    for item in items:
        if filled >= target and chunks[-1]:
            chunks.append([])
            filled = 0
        chunks[-1].append(item)
        filled += len(item.data or b"")
    return chunks


def makespan(chunks: list[list[runner._Item]], costs: dict[str, float], workers: int) -> float:
    """When the last worker finishes, each chunk going to the first worker that is free."""
    free_at = [0.0] * workers
    for chunk in chunks:
        start = heapq.heappop(free_at)
        heapq.heappush(free_at, start + sum(costs[item.display_path] for item in chunk))
    return max(free_at)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    items, costs = file_costs(args.corpus)
    ideal = sum(costs.values()) / args.workers
    print(f"{len(items)} files, {sum(costs.values()):.2f} s of CPU; ideal on {args.workers} "
          f"workers: {ideal:.2f} s")
    schemes = [(f"{per_worker:>3} equal chunks per worker, in file order",
                equal_chunks(items, args.workers * per_worker)) for per_worker in (2, 4, 8, 16, 32)]
    positions = runner._chunks([len(item.data or b"") for item in items], args.workers)
    schemes.append((f"the runner's {len(positions)} chunks, largest files first",
                    [[items[n] for n in chunk] for chunk in positions]))
    for name, chunks in schemes:
        span = makespan(chunks, costs, args.workers)
        costliest = max(sum(costs[item.display_path] for item in chunk) for chunk in chunks)
        print(f"{name}: {span:.2f} s, {100 * (span / ideal - 1):4.2f}% over ideal; "
              f"costliest chunk {costliest:.2f} s")


if __name__ == "__main__":
    main()
