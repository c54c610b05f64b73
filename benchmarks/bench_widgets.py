"""Kernel-side latency of the explorers: from a control change to a freshly rendered PNG.

For each explorer at timesteps=20, units=8, a control is moved back and forth REPEATS times and
each change is timed from `control.value = ...` until the explorer's image widgets hold the new
PNG bytes (the observer runs synchronously, so the assignment returns only then). The naive way is
timed too: build a Keras layer, run it on the same input, draw the same pictures from scratch
(new Figures) and encode them as PNG. Prints a markdown table of medians (wall clock and CPU time
of this process; on a busy machine the wall clock includes waiting for a core).

Run: .venv/bin/python benchmarks/bench_widgets.py   (target: median under 50 ms kernel side)
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np

import rnnviz
from rnnviz.draw import (
    draw_cell,
    draw_states,
    draw_tensor,
    draw_unrolled,
    to_png,
)
from rnnviz.widgets import GateExplorer, ShapeExplorer, StateExplorer

T, UNITS = 20, 8
REPEATS = int(os.environ.get("BENCH_REPEATS", "15"))


def timed(action) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def explorer_times(explorer, name: str, values: list) -> tuple[list[float], list[float]]:
    control = explorer.controls[name]
    walls, cpus = [], []
    for k in range(REPEATS):
        value = values[k % len(values)]
        if value == control.value:
            value = values[(k + 1) % len(values)]
        before = {n: im.value for n, im in explorer.images.items()}
        wall, cpu = timed(lambda v=value: setattr(control, "value", v))
        assert explorer.error is None, explorer.error
        assert any(im.value != before[n] for n, im in explorer.images.items()), "no new picture"
        walls.append(wall)
        cpus.append(cpu)
    return walls, cpus


def naive_times(keras, kind: str, pictures: str) -> tuple[list[float], list[float]]:
    """Rebuild a Keras layer, run it, redraw the explorer's pictures from scratch, encode PNGs."""
    x = rnnviz.data.noise(T, 3)[None]
    walls, cpus = [], []
    for k in range(REPEATS):
        units = UNITS + k % 2

        def once(units=units) -> None:
            layer = getattr(keras.layers, kind)(units, return_sequences=True)
            layer(x)  # builds and runs it
            trace = rnnviz.trace(layer, x)
            if pictures == "shape":
                figs = [draw_unrolled(kind, units, T, 3, batch=1), draw_tensor(x)]
            else:
                figs = [draw_states(trace, t=5), draw_cell(kind, trace=trace, t=5)]
            for fig in figs:
                to_png(fig)

        wall, cpu = timed(once)
        walls.append(wall)
        cpus.append(cpu)
    return walls, cpus


def main() -> None:
    load_at_start = os.getloadavg()[0]
    cases = [
        (
            "ShapeExplorer",
            "units",
            ShapeExplorer(kind="LSTM", units=UNITS, timesteps=T, input_dim=3),
            [UNITS + 1, UNITS],
        ),
        ("ShapeExplorer", "return_sequences", None, [True, False]),
        ("ShapeExplorer", "timesteps", None, [T + 1, T]),
        (
            "StateExplorer",
            "t",
            StateExplorer(kind="LSTM", units=UNITS, sequence="noise", timesteps=T),
            [3, 4, 5, 6],
        ),
        ("StateExplorer", "units", None, [UNITS + 1, UNITS]),
        ("StateExplorer", "seed", None, [1, 0]),
        ("StateExplorer", "timesteps", None, [T + 1, T]),
        ("GateExplorer", "t", GateExplorer(kind="LSTM", units=UNITS, timesteps=T), [3, 4, 5, 6]),
        ("GateExplorer", "forget_bias", None, [2.0, 1.0]),
        ("GateExplorer", "units", None, [UNITS + 1, UNITS]),
        ("GateExplorer", "timesteps", None, [T + 1, T]),
    ]
    rows = []
    explorer = None
    for title, name, fresh, values in cases:
        explorer = fresh or explorer
        walls, cpus = explorer_times(explorer, name, values)
        rows.append((f"{title}: move `{name}`", walls, cpus))

    from rnnviz.session import setup

    setup(keras=True)
    import keras

    for title, kind, pictures in (
        ("naive shape redraw (Keras layer + new figures)", "LSTM", "shape"),
        ("naive state redraw (Keras layer + new figures)", "LSTM", "state"),
    ):
        naive_times(keras, kind, pictures)  # warm-up: first layer build pays TensorFlow start-up
        walls, cpus = naive_times(keras, kind, pictures)
        rows.append((title, walls, cpus))

    import matplotlib

    print(
        f"Explorer latency at T={T}, units={UNITS}: from `control.value = ...` to new PNG bytes "
        f"in the image widgets, {REPEATS} changes each, medians. CPU = `time.process_time` of "
        f"this process; wall = clock time, which on a busy machine includes waiting for a core. "
        f"Python {sys.version.split()[0]}, matplotlib {matplotlib.__version__}, "
        f"{os.cpu_count()} cores, load average {load_at_start:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end.\n"
    )
    print("| change | median CPU ms | median wall ms | p90 CPU ms | p90 wall ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for title, walls, cpus in rows:
        print(
            f"| {title} | {statistics.median(cpus):.1f} | {statistics.median(walls):.1f} | "
            f"{float(np.percentile(cpus, 90)):.1f} | {float(np.percentile(walls, 90)):.1f} |"
        )


if __name__ == "__main__":
    main()
