"""Fix: start the worker processes with the spawn start method.

Spawned workers are fresh interpreters, not forks of the multithreaded JAX
process, so nothing is copied mid-flight and JAX does not warn.
"""
import multiprocessing as mp
import warnings

import jax.numpy as jnp


def count_words(line):
    return len(line.split())


if __name__ == "__main__":
    weights = jnp.array([0.2, 0.3, 0.5])
    print("weights sum to", float(weights.sum()))

    lines = ["a b c", "d e", "f", "g h i j"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with mp.get_context("spawn").Pool(2) as pool:
            counts = pool.map(count_words, lines)
    print(counts)
    assert counts == [3, 2, 1, 4], counts
    fork_warnings = [w for w in caught if "os.fork()" in str(w.message)]
    assert not fork_warnings, fork_warnings
