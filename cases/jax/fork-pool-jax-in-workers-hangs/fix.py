"""Fix: spawn the workers, so each starts its own fresh JAX runtime."""
import math
import multiprocessing as mp

import jax.numpy as jnp


def simulate(seed):
    x = jnp.arange(4.0) * seed
    return float(jnp.sin(x).sum())


if __name__ == "__main__":
    print("parent:", float(jnp.ones(3).sum()))
    with mp.get_context("spawn").Pool(2) as pool:
        results = pool.map(simulate, range(4))
    print(results)

    expected = [sum(math.sin(i * s) for i in range(4)) for s in range(4)]
    assert all(abs(r - e) < 1e-5 for r, e in zip(results, expected)), (results, expected)
