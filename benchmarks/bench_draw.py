"""Time every rnnviz.draw picture: a rebuild (a new picture) vs an in-place update, each
rendered to PNG.

T=20 timesteps, 8 units, the pictures' own Agg canvas, `fig.canvas.print_png` into a BytesIO.
Prints a markdown table of medians over repeats, as CPU time of this process
(`time.process_time`) and wall clock (which on a busy machine includes waiting for a core).

    python benchmarks/bench_draw.py [--repeats 15]
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import time
from collections.abc import Callable

import matplotlib
import numpy as np

import rnnviz
from rnnviz.draw import (
    CellPicture,
    StatePicture,
    TaskPicture,
    TensorPicture,
    UnrolledPicture,
)

T, UNITS, INPUT_DIM, BATCH = 20, 8, 3, 4


def png(fig) -> int:
    buffer = io.BytesIO()
    fig.canvas.print_png(buffer)
    return buffer.tell()


def median_ms(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """(CPU ms, wall ms): medians over `repeats` calls, after one warm-up call."""
    fn()  # warm-up (fonts, caches)
    cpu, wall = [], []
    for _ in range(repeats):
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return 1000 * statistics.median(cpu), 1000 * statistics.median(wall)


def cases() -> list[tuple[str, Callable[[], object], Callable[[object, int], None]]]:
    x = np.random.default_rng(0).normal(size=(BATCH, T, INPUT_DIM))
    traces = {k: rnnviz.cell(k, UNITS, INPUT_DIM).run(x) for k in rnnviz.KINDS}
    seeds = [rnnviz.cell("LSTM", UNITS, INPUT_DIM, seed=s).run(x) for s in (1, 2)]
    sizes = [rnnviz.cell("LSTM", u, INPUT_DIM).run(x) for u in (UNITS + 1, UNITS)]
    flags = [(False, False), (True, False), (True, True), (False, True)]
    return [
        ("tensor (4, 20, 3)", lambda: TensorPicture(x), lambda p, i: p.update(x=x + i)),
        (
            "unrolled LSTM, flags flip",
            lambda: UnrolledPicture("LSTM", UNITS, T, INPUT_DIM),
            lambda p, i: p.update(return_sequences=flags[i % 4][0], return_state=flags[i % 4][1]),
        ),
        (
            "unrolled GRU, timesteps 20→21",
            lambda: UnrolledPicture("GRU", UNITS, T, INPUT_DIM),
            lambda p, i: p.update(timesteps=T + i % 2),
        ),
        (
            "cell LSTM, new step",
            lambda: CellPicture("LSTM", trace=traces["LSTM"], t=0),
            lambda p, i: p.update(t=i % T),
        ),
        (
            "cell GRU, new step",
            lambda: CellPicture("GRU", trace=traces["GRU"], t=0),
            lambda p, i: p.update(t=i % T),
        ),
        (
            "states LSTM, new step",
            lambda: StatePicture(traces["LSTM"], t=0),
            lambda p, i: p.update(t=i % T),
        ),
        (
            "cell LSTM, units 8→9",
            lambda: CellPicture("LSTM", trace=traces["LSTM"], t=0),
            lambda p, i: p.update(trace=sizes[i % 2]),
        ),
        (
            "states LSTM, new values (seed)",
            lambda: StatePicture(traces["LSTM"], t=0),
            lambda p, i: p.update(trace=seeds[i % 2]),
        ),
        (
            "states LSTM, units 8→9",
            lambda: StatePicture(traces["LSTM"], t=0),
            lambda p, i: p.update(trace=sizes[i % 2]),
        ),
        (
            "states GRU, new trace",
            lambda: StatePicture(traces["GRU"], t=0),
            lambda p, i: p.update(trace=traces["GRU"], sample=i % BATCH),
        ),
        (
            "task many-to-one",
            lambda: TaskPicture("many-to-one"),
            lambda p, i: p.update(task=("many-to-one", "one-to-many")[i % 2]),
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    print(
        f"rnnviz.draw at T={T}, units={UNITS}: median of {args.repeats} repeats, each drawn and "
        f"encoded as PNG (Agg). Python {platform.python_version()}, matplotlib "
        f"{matplotlib.__version__}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the start.\n"
        "Rebuild: a new picture; update: `update(...)` on the existing one, in place.\n"
    )
    print(
        "| picture, change | size (px) | rebuild CPU ms | rebuild wall ms "
        "| update CPU ms | update wall ms | rebuild ÷ update (CPU) |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for name, make, change in cases():
        first_cpu, first_wall = median_ms(lambda make=make: png(make().figure), args.repeats)
        pic = make()
        counter = iter(range(10**9))
        cpu, wall = median_ms(
            lambda pic=pic, change=change, counter=counter: (
                change(pic, next(counter)),
                png(pic.figure),
            ),
            args.repeats,
        )
        w, h = pic.figure.get_size_inches() * pic.figure.dpi
        print(
            f"| {name} | {w:.0f}×{h:.0f} | {first_cpu:.1f} | {first_wall:.1f} | {cpu:.1f} "
            f"| {wall:.1f} | {first_cpu / cpu:.1f}× |"
        )
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
