"""How fast is rnnviz's numpy forward pass next to Keras' own? Prints a markdown table.

For each kind at classroom sizes (T=20 with 8 units, T=100 with 64 units; 10 input features;
batch 1 and 32) it times, as the median of many calls:
    rnnviz     Cell.run(x), which also records every gate and state for the pictures
    eager      layer(x), the Keras layer called eagerly (what a notebook cell does)
    compiled   a warmed-up tf.function around layer(x) (Keras' fast path, no Python per call)
All three share the same weights and input. Run: .venv/bin/python benchmarks/bench_cells.py
"""

from __future__ import annotations

import os

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import statistics
import subprocess
import sys
import time

import numpy as np

import rnnviz

KINDS = ("SimpleRNN", "LSTM", "GRU")
SIZES = ((20, 8), (100, 64))  # (timesteps, units)
BATCHES = (1, 32)
INPUT_DIM = 10


def median_ms(fn, *, min_repeats: int = 15, budget_s: float = 1.5) -> float:
    """Median wall time of one call in milliseconds, after two warm-up calls."""
    fn()
    fn()
    times = []
    start = time.perf_counter()
    while len(times) < min_repeats or (time.perf_counter() - start < budget_s and len(times) < 400):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def import_ms(repeats: int = 5) -> float:
    """Median time of `import rnnviz` in a fresh interpreter."""
    code = "import time; t=time.perf_counter(); import rnnviz; print(time.perf_counter()-t)"
    runs = []
    for _ in range(repeats):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        runs.append(float(done.stdout))
    return 1000 * statistics.median(runs)


def main() -> None:
    import keras
    import tensorflow as tf

    print(f"import rnnviz: {import_ms():.0f} ms (median of 5 fresh interpreters)\n")
    print(
        f"numpy {np.__version__}, TensorFlow {tf.__version__}, Keras {keras.__version__}, "
        f"{os.cpu_count()} CPU(s); input_dim={INPUT_DIM}; median ms per forward pass\n"
    )
    print(
        "| layer | timesteps | units | batch | rnnviz `Cell.run` | Keras eager `layer(x)` "
        "| Keras `tf.function` | eager ÷ rnnviz |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for kind in KINDS:
        for timesteps, units in SIZES:
            for batch in BATCHES:
                layer = getattr(keras.layers, kind)(units, return_sequences=True)
                layer.build((None, timesteps, INPUT_DIM))
                cell = rnnviz.from_keras(layer)
                x = np.random.default_rng(0).normal(size=(batch, timesteps, INPUT_DIM))
                x = x.astype("float32")
                x_tf = tf.constant(x)
                compiled = tf.function(layer, reduce_retracing=True)

                ours = median_ms(lambda cell=cell, x=x: cell.run(x))
                eager = median_ms(lambda layer=layer, x_tf=x_tf: layer(x_tf))
                graph = median_ms(lambda compiled=compiled, x_tf=x_tf: compiled(x_tf))
                print(f"| {kind} | {timesteps} | {units} | {batch} | {ours:.2f} | {eager:.2f} "
                      f"| {graph:.2f} | {eager / ours:.1f}× |")  # fmt: skip
                sys.stdout.flush()


if __name__ == "__main__":
    main()
