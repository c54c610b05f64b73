"""Lesson 8 from a fresh kernel: wall time, the slowest cells and the kernel's peak memory.

    python benchmarks/bench_training.py            # runs notebooks/08_*.ipynb, prints a table
    python benchmarks/bench_training.py --seeds 1 2 3   # also: the lesson's comparison per seed

Targets (issue 6): the whole lesson under three minutes on a 2-core machine, the kernel far below
2 GB. Nothing is saved; the notebook on disk is not touched.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "08_training_and_why_gates_matter.ipynb"
PEAK_RSS = "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"


def run(path: Path) -> tuple[float, list[tuple[float, int, str]], float]:
    """(seconds, [(cell seconds, index, first line)], kernel peak RSS in MB)."""
    os.environ.update(TF_CPP_MIN_LOG_LEVEL="3", TF_ENABLE_ONEDNN_OPTS="0", PYTHONHASHSEED="0")
    os.environ.pop("MPLBACKEND", None)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    cells = []
    with client.setup_kernel():
        start = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            began = time.perf_counter()
            client.execute_cell(cell, index)
            first = cell.source.splitlines()[0] if cell.source else ""
            cells.append((time.perf_counter() - began, index, first[:60]))
        total = time.perf_counter() - start
        probe = nbformat.v4.new_code_cell(PEAK_RSS)
        nb.cells.append(probe)
        client.execute_cell(probe, len(nb.cells) - 1)
        peak_kb = float(probe.outputs[0]["text"].strip())
    return total, cells, peak_kb / 1024


def seed_table(seeds: list[int]) -> bool:
    """Section 4 of the lesson with other seeds: do its assertions hold? (prints accuracies)"""
    os.environ.update(TF_CPP_MIN_LOG_LEVEL="3", TF_ENABLE_ONEDNN_OPTS="0")
    from rnnviz.training import compare

    kinds, lengths = ("SimpleRNN", "LSTM", "GRU"), (5, 20, 50, 100)
    print(f"\n{'seed':>4}  " + "  ".join(f"{k} T={t}" for k in kinds for t in (5, 100)) + "  holds")
    every = True
    for seed in seeds:
        result = compare(
            kinds, lengths, units=16, epochs=30, memory_bias=3.0, seed=seed, keep_models=False
        )
        acc = result.accuracy
        holds = (
            min(acc[k, 5] for k in kinds) > 0.95
            and min(acc["LSTM", 100], acc["GRU", 100]) > 0.9
            and acc["SimpleRNN", 100] < 0.7
        )
        every &= holds
        cells = "  ".join(f"{acc[k, t]:>{len(k) + 5}.3f}" for k in kinds for t in (5, 100))
        print(f"{seed:>4}  {cells}  {'yes' if holds else 'NO'}")
    return every


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="*", default=[], help="also run compare()")
    seeds = parser.parse_args().seeds
    total, cells, peak_mb = run(NOTEBOOK)
    print(f"{'measure':<40} {'value':>12}")
    print(f"{'lesson 8 run time, fresh kernel (s)':<40} {total:>12.1f}")
    print(f"{'kernel peak RSS (MB)':<40} {peak_mb:>12.0f}")
    print("\nslowest cells:")
    for seconds, index, first in sorted(cells, reverse=True)[:6]:
        print(f"  cell {index:>2}  {seconds:6.1f} s  {first}")
    ok = total < 180 and peak_mb < 2048
    print("\nwithin targets (< 180 s, < 2 GB):", "yes" if ok else "NO")
    if seeds:
        ok &= seed_table(seeds)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
