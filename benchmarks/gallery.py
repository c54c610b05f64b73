"""Render every rnnviz.draw picture, at classroom sizes and at the extremes, to PNG files.

    python benchmarks/gallery.py gallery          # everything, into ./gallery/
    python benchmarks/gallery.py --readme          # the README's pictures, into docs/img/

Each file is also checked with `layout_problems` (text off the figure, overlapping text); any
problem is printed and makes the exit status 1. Look at the PNGs too.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

import rnnviz
from rnnviz.data import one_hot, one_hot_batch
from rnnviz.draw import (
    TASKS,
    draw_cell,
    draw_states,
    draw_task,
    draw_tasks,
    draw_tensor,
    draw_unrolled,
    draw_weights,
    layout_problems,
    to_png,
)

README = (
    "tensor_hello_batch",
    "unrolled_lstm_seq_state",
    "cell_lstm_t3",
    "states_lstm",
    "tasks_all",
    "weights_lstm_3x2",
)


def trace(kind: str, units: int, timesteps: int, batch: int = 1, input_dim: int = 4):
    x = np.random.default_rng(0).normal(size=(batch, timesteps, input_dim))
    return rnnviz.cell(kind, units, input_dim).run(x)


def pictures() -> Iterator[tuple[str, Callable[[], object]]]:
    hello = one_hot("hello")
    batch = one_hot_batch(["hello", "eolll", "lleel"])
    yield "tensor_3x2x3", lambda: draw_tensor(np.arange(18).reshape(3, 2, 3))
    yield "tensor_hello", lambda: draw_tensor(hello, step_labels="hello", feature_labels="helo")
    yield "tensor_hello_batch", lambda: draw_tensor(batch, feature_labels="helo")
    yield "tensor_1x1x1", lambda: draw_tensor(np.ones((1, 1, 1)))
    yield (
        "tensor_64x100x128",
        lambda: draw_tensor(np.random.default_rng(0).normal(size=(64, 100, 128))),
    )
    for seqs in (False, True):
        for state in (False, True):
            for kind in rnnviz.KINDS:
                name = (
                    f"unrolled_{kind.lower()}_{'seq' if seqs else 'last'}_"
                    f"{'state' if state else 'nostate'}"
                )
                yield (
                    name,
                    lambda k=kind, s=seqs, r=state: draw_unrolled(
                        k, 50, 10, 30, return_sequences=s, return_state=r
                    ),
                )
    yield "unrolled_hello_simplernn", lambda: draw_unrolled("SimpleRNN", 2, 5, 4, batch=3)
    yield "unrolled_t1_units1_batch1", lambda: draw_unrolled("LSTM", 1, 1, 1, batch=1)
    yield (
        "unrolled_t100_units128_batch64",
        lambda: draw_unrolled(
            "GRU", 128, 100, 128, batch=64, return_sequences=True, return_state=True
        ),
    )
    yield "unrolled_stacked_4", lambda: draw_unrolled("SimpleRNN", 32, 8, 32, layers=4)
    yield (
        "unrolled_stacked_lstm_extreme",
        lambda: draw_unrolled("LSTM", 128, 100, 128, batch=64, layers=3, return_state=True),
    )
    for kind in rnnviz.KINDS:
        yield f"cell_{kind.lower()}_bare", lambda k=kind: draw_cell(k)
        yield (
            f"cell_{kind.lower()}_t3",
            lambda k=kind: draw_cell(k, trace=rnnviz.cell(k, 8, 4).run(hello), t=2),
        )
        yield (
            f"cell_{kind.lower()}_units128",
            lambda k=kind: draw_cell(k, trace=trace(k, 128, 100, 64), t=99, sample=63),
        )
        yield f"states_{kind.lower()}", lambda k=kind: draw_states(trace(k, 8, 20), t=4)
        yield f"states_{kind.lower()}_t1_units1", lambda k=kind: draw_states(trace(k, 1, 1), t=0)
        yield (
            f"states_{kind.lower()}_t100_units128",
            lambda k=kind: draw_states(trace(k, 128, 100, 64), t=99, sample=63),
        )
    for kind in rnnviz.KINDS:
        yield f"weights_{kind.lower()}_3x2", lambda k=kind: draw_weights(rnnviz.cell(k, 3, 2))
        yield f"weights_{kind.lower()}_1x1", lambda k=kind: draw_weights(rnnviz.cell(k, 1, 1))
        yield (
            f"weights_{kind.lower()}_16x30",
            lambda k=kind: draw_weights(rnnviz.cell(k, 16, 30)),
        )
    yield (
        "weights_gru_no_reset_after",
        lambda: draw_weights(rnnviz.cell("GRU", 4, 3, reset_after=False)),
    )
    yield "weights_lstm_64x30", lambda: draw_weights(rnnviz.cell("LSTM", 64, 30))
    yield (
        "states_lstm_cell_state_beyond_1",
        lambda: draw_states(
            rnnviz.cell("LSTM", 3, 1).with_options(bias=np.full(12, 6.0)).run(np.zeros((1, 12, 1))),
            t=4,
        ),
    )
    for task in TASKS:
        yield f"task_{task}", lambda t=task: draw_task(t)
    yield "tasks_all", draw_tasks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="gallery", help="where to write the PNGs")
    parser.add_argument(
        "--readme",
        action="store_true",
        help=f"write only the README pictures, into docs/img/: {', '.join(README)}",
    )
    args = parser.parse_args()
    folder = Path("docs/img" if args.readme else args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    failures = 0
    for name, make in pictures():
        if args.readme and name not in README:
            continue
        fig = make()
        problems = layout_problems(fig)
        (folder / f"{name}.png").write_bytes(to_png(fig))
        w, h = fig.get_size_inches() * fig.dpi
        status = "ok" if not problems else "; ".join(problems[:3])
        print(f"{name:38s} {w:5.0f}×{h:<5.0f} {status}")
        failures += bool(problems)
    print(f"wrote {folder}/ ({failures} picture(s) with layout problems)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
