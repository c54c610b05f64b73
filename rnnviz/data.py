"""Small sequences for the lessons, all made here or read from installed packages (no downloads).

Every function returns numpy arrays shaped the way Keras wants them: x is
(batch, timesteps, input_dim) or, for a single sequence, (timesteps, input_dim).
"""

from __future__ import annotations

import csv
import numbers
import os
from dataclasses import dataclass

import numpy as np

from ._checks import check_size

HELLO_ALPHABET = "helo"


def one_hot(word: str, alphabet: str = HELLO_ALPHABET) -> np.ndarray:
    """One row per letter, one column per alphabet letter: 'hello' -> (5, 4).

    >>> one_hot("he")
    array([[1., 0., 0., 0.],
           [0., 1., 0., 0.]], dtype=float32)
    """
    if not isinstance(word, str) or not word:
        raise ValueError(f"word must be a non-empty string; got {word!r}")
    if len(set(alphabet)) != len(alphabet) or not alphabet:
        raise ValueError(
            f"alphabet must be a non-empty string of distinct letters; got {alphabet!r}"
        )
    missing = sorted(set(word) - set(alphabet))
    if missing:
        raise ValueError(
            f"word {word!r} has letters {missing} that are not in alphabet {alphabet!r}"
        )
    out = np.zeros((len(word), len(alphabet)), dtype=np.float32)
    out[np.arange(len(word)), [alphabet.index(ch) for ch in word]] = 1.0
    return out


def one_hot_batch(words: list[str], alphabet: str = HELLO_ALPHABET) -> np.ndarray:
    """Several words of the same length as one batch: ['hello', 'eolll', 'lleel'] -> (3, 5, 4)."""
    if not words:
        raise ValueError("words must be a non-empty list of strings")
    lengths = {len(w) for w in words}
    if len(lengths) != 1:
        raise ValueError(
            f"all words in a batch must have the same length; got lengths {sorted(lengths)}"
        )
    return np.stack([one_hot(w, alphabet) for w in words])


def sine_wave(timesteps: int = 20, *, periods: float = 2.0, phase: float = 0.0) -> np.ndarray:
    """One sine wave sampled at `timesteps` points, as (timesteps, 1)."""
    timesteps = check_size("timesteps", timesteps)
    t = np.linspace(0.0, 2 * np.pi * periods, timesteps, endpoint=False)
    return np.sin(t + phase)[:, None].astype(np.float32)


def noise(timesteps: int = 20, input_dim: int = 3, *, seed: int = 0) -> np.ndarray:
    """Standard normal noise, (timesteps, input_dim)."""
    timesteps = check_size("timesteps", timesteps)
    input_dim = check_size("input_dim", input_dim)
    seed = check_size("seed", seed, minimum=0)
    return np.random.default_rng(seed).normal(size=(timesteps, input_dim)).astype(np.float32)


def remember_first(
    samples: int, timesteps: int, *, seed: int = 0, noise_level: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """A long-memory task: the label is the sign of the FIRST step; every later step is noise.

    x: (samples, timesteps, 2): feature 0 carries the signal at step 0 (+1 or -1) and noise after;
    feature 1 is 1 at step 0 only, a marker saying "this is the one to remember".
    y: (samples,) 0 or 1. To answer, a network must carry one bit across `timesteps - 1` steps.
    """
    samples = check_size("samples", samples)
    timesteps = check_size("timesteps", timesteps, minimum=2)
    seed = check_size("seed", seed, minimum=0)
    if (
        not isinstance(noise_level, numbers.Real)
        or isinstance(noise_level, bool)
        or noise_level < 0
    ):
        raise ValueError(f"noise_level must be a number >= 0; got {noise_level!r}")
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=samples)
    x = np.zeros((samples, timesteps, 2), dtype=np.float32)
    x[:, :, 0] = rng.normal(scale=noise_level, size=(samples, timesteps))
    x[:, 0, 0] = 2.0 * y - 1.0
    x[:, 0, 1] = 1.0
    return x, y.astype(np.float32)


@dataclass(frozen=True)
class Series:
    """A multivariate time series: values (timesteps, features), with names and dates."""

    values: np.ndarray
    names: tuple[str, ...]
    dates: np.ndarray


def _sample_data_path(name: str) -> str:
    import matplotlib

    path = os.path.join(matplotlib.get_data_path(), "sample_data", name)
    if not os.path.exists(path):
        raise FileNotFoundError(f"matplotlib's sample data {name!r} is missing at {path}")
    return path


def stock_prices(names: tuple[str, ...] = ("IBM", "AAPL", "MSFT", "XRX", "ADBE")) -> Series:
    """Monthly closing prices that matplotlib ships (Stocks.csv), for complete months only.

    Like the seed's ten weather stations read every hour, each company is one feature and each
    month one timestep: values has shape (months, len(names)).
    """
    with open(_sample_data_path("Stocks.csv"), newline="") as fh:
        rows = [r for r in csv.reader(fh) if r and not r[0].startswith("#")]
    header, body = rows[0], rows[1:]
    unknown = [n for n in names if n not in header[1:]]
    if unknown:
        raise ValueError(f"unknown stock name(s) {unknown}; available: {header[1:]}")
    cols = [header.index(n) for n in names]
    dates, values = [], []
    for row in body:
        cells = [row[c] for c in cols]
        if all(cells):
            dates.append(np.datetime64(row[0], "D"))
            values.append([float(v) for v in cells])
    return Series(np.asarray(values, dtype=np.float32), tuple(names), np.asarray(dates))


def windows(
    values: np.ndarray, timesteps: int, *, horizon: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Cut a series (N, features) into many-to-one samples.

    x: (N - timesteps - horizon + 1, timesteps, features), y: the values `horizon` steps after
    each window, (same count, features).
    """
    values = np.asarray(values)
    if values.ndim != 2:
        raise ValueError(f"values must have shape (timesteps, features); got {values.shape}")
    timesteps = check_size("timesteps", timesteps)
    horizon = check_size("horizon", horizon)
    count = values.shape[0] - timesteps - horizon + 1
    if count < 1:
        raise ValueError(
            f"a series of {values.shape[0]} steps is too short for windows of {timesteps} "
            f"steps plus a horizon of {horizon}"
        )
    idx = np.arange(timesteps)[None, :] + np.arange(count)[:, None]
    return values[idx], values[idx[:, -1] + horizon]
