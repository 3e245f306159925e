"""A multiprocessing Pool started after JAX has run warns that fork may deadlock.

On Linux the default start method is fork. JAX has started its runtime
threads (the jnp computation below), so forking copies a multithreaded
process and JAX warns. The workers here do not touch JAX, so it completes.
"""
import multiprocessing as mp

import jax.numpy as jnp


def count_words(line):
    return len(line.split())


if __name__ == "__main__":
    weights = jnp.array([0.2, 0.3, 0.5])
    print("weights sum to", float(weights.sum()))

    lines = ["a b c", "d e", "f", "g h i j"]
    with mp.Pool(2) as pool:
        counts = pool.map(count_words, lines)
    print(counts)
    assert counts == [3, 2, 1, 4], counts
