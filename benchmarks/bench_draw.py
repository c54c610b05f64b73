"""Time every rnnviz.draw picture: a first draw vs an in-place update, each rendered to PNG.

T=20 timesteps, 8 units, Agg, `fig.canvas.print_png` into a BytesIO (what the explorers do on
every slider move). Prints a markdown table of medians over repeats.

    python benchmarks/bench_draw.py [--repeats 15]
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable

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


def median_ms(fn: Callable[[], object], repeats: int) -> float:
    fn()  # warm-up (fonts, caches)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def cases() -> list[tuple[str, Callable[[], object], Callable[[object, int], None]]]:
    x = np.random.default_rng(0).normal(size=(BATCH, T, INPUT_DIM))
    traces = {k: rnnviz.cell(k, UNITS, INPUT_DIM).run(x) for k in rnnviz.KINDS}
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
        f"rnnviz.draw at T={T}, units={UNITS}: median of {args.repeats}, draw/update + PNG (Agg)\n"
    )
    print("| picture | size (px) | first draw + PNG (ms) | update + PNG (ms) | PNG only (ms) |")
    print("| --- | --- | ---: | ---: | ---: |")
    for name, make, change in cases():
        first = median_ms(lambda make=make: png(make().figure), args.repeats)
        pic = make()
        counter = iter(range(10**9))
        update = median_ms(
            lambda pic=pic, change=change, counter=counter: (
                change(pic, next(counter)),
                png(pic.figure),
            ),
            args.repeats,
        )
        only = median_ms(lambda pic=pic: png(pic.figure), args.repeats)
        w, h = pic.figure.get_size_inches() * pic.figure.dpi
        print(f"| {name} | {w:.0f}×{h:.0f} | {first:.1f} | {update:.1f} | {only:.1f} |")


if __name__ == "__main__":
    main()
