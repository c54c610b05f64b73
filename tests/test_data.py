"""Small sequences for the lessons: shapes Keras wants, the seed's encodings, clear errors."""

from __future__ import annotations

import numpy as np
import pytest

import rnnviz.data as data

BAD_SIZES = [0, -1, 2.5, True, "3"]


def test_one_hot():
    x = data.one_hot("hello")
    assert x.shape == (5, 4) and x.dtype == np.float32
    np.testing.assert_array_equal(x.sum(axis=1), 1)
    assert [data.HELLO_ALPHABET[i] for i in x.argmax(axis=1)] == list("hello")
    np.testing.assert_array_equal(data.one_hot("ba", alphabet="abc"), [[0, 1, 0], [1, 0, 0]])


def test_one_hot_batch():
    x = data.one_hot_batch(["hello", "eolll", "lleel"])
    assert x.shape == (3, 5, 4)
    np.testing.assert_array_equal(x[1], data.one_hot("eolll"))


@pytest.mark.parametrize(
    "call, pattern",
    [
        (lambda: data.one_hot(""), "word"),
        (lambda: data.one_hot(3), r"word.*3"),
        (lambda: data.one_hot("help"), r"'p'.*alphabet"),
        (lambda: data.one_hot("aa", alphabet="aab"), r"alphabet.*'aab'"),
        (lambda: data.one_hot("a", alphabet=""), "alphabet"),
        (lambda: data.one_hot_batch([]), "words"),
        (lambda: data.one_hot_batch(["hello", "hell"]), r"same length.*\[4, 5\]"),
    ],
)
def test_one_hot_errors(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()


def test_sine_wave_and_noise():
    wave = data.sine_wave(20, periods=2.0)
    assert wave.shape == (20, 1) and wave.dtype == np.float32
    np.testing.assert_allclose(wave[:10], wave[10:], atol=1e-6)  # two whole periods
    np.testing.assert_allclose(data.sine_wave(4, periods=1.0)[:, 0], [0, 1, 0, -1], atol=1e-6)
    assert np.isclose(data.sine_wave(4, phase=np.pi / 2)[0, 0], 1.0)
    x = data.noise(24, 10, seed=3)
    assert x.shape == (24, 10) and x.dtype == np.float32
    np.testing.assert_array_equal(x, data.noise(24, 10, seed=3))
    assert not np.allclose(x, data.noise(24, 10, seed=4))


def test_remember_first():
    x, y = data.remember_first(64, 12, seed=1)
    assert x.shape == (64, 12, 2) and y.shape == (64,)
    np.testing.assert_array_equal(x[:, 0, 0], 2 * y - 1)  # the sign to remember
    np.testing.assert_array_equal(x[:, :, 1], np.eye(12)[[0] * 64])  # the marker, step 0 only
    assert set(np.unique(y)) == {0.0, 1.0}
    quiet, _ = data.remember_first(8, 5, noise_level=0.0)
    np.testing.assert_array_equal(quiet[:, 1:, 0], 0)


def test_stock_prices_and_windows():
    series = data.stock_prices(("IBM", "AAPL"))
    months, features = series.values.shape
    assert features == 2 and months > 24 and series.names == ("IBM", "AAPL")
    assert series.dates.shape == (months,) and np.all(np.diff(series.dates) > np.timedelta64(0))
    assert np.all(np.isfinite(series.values)) and np.all(series.values > 0)
    x, y = data.windows(series.values, 12, horizon=2)
    assert x.shape == (months - 13, 12, 2) and y.shape == (months - 13, 2)
    np.testing.assert_array_equal(x[5], series.values[5:17])
    np.testing.assert_array_equal(y[5], series.values[18])
    with pytest.raises(ValueError, match=r"unknown stock.*'NOPE'"):
        data.stock_prices(("IBM", "NOPE"))


def test_windows_errors():
    values = np.arange(10.0).reshape(5, 2)
    with pytest.raises(ValueError, match=r"values.*\(10,\)"):
        data.windows(np.arange(10.0), 3)
    with pytest.raises(ValueError, match=r"5 steps.*5 steps.*horizon of 1"):
        data.windows(values, 5)
    x, y = data.windows(values, 4)
    assert x.shape == (1, 4, 2) and y.shape == (1, 2)


SIZE_CALLS = {
    ("sine_wave", "timesteps"): lambda v: data.sine_wave(v),
    ("noise", "timesteps"): lambda v: data.noise(v, 2),
    ("noise", "input_dim"): lambda v: data.noise(3, v),
    ("noise", "seed"): lambda v: data.noise(3, 2, seed=v),
    ("remember_first", "samples"): lambda v: data.remember_first(v, 3),
    ("remember_first", "timesteps"): lambda v: data.remember_first(4, v),
    ("remember_first", "seed"): lambda v: data.remember_first(4, 3, seed=v),
    ("windows", "timesteps"): lambda v: data.windows(np.zeros((9, 1)), v),
    ("windows", "horizon"): lambda v: data.windows(np.zeros((9, 1)), 2, horizon=v),
}


@pytest.mark.parametrize("bad", BAD_SIZES, ids=repr)
@pytest.mark.parametrize("key", list(SIZE_CALLS), ids="-".join)
def test_bad_sizes_name_the_argument_and_value(key, bad):
    if key[1] == "seed" and bad == 0:
        return  # a seed may be 0
    with pytest.raises((TypeError, ValueError)) as info:
        SIZE_CALLS[key](bad)
    assert key[1] in str(info.value) and repr(bad) in str(info.value)


def test_remember_first_needs_two_steps_and_a_sane_noise_level():
    with pytest.raises(ValueError, match=r"timesteps.*2.*1"):
        data.remember_first(4, 1)
    with pytest.raises(ValueError, match=r"noise_level.*-1"):
        data.remember_first(4, 3, noise_level=-1.0)
