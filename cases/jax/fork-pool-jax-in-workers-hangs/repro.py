"""Workers forked from a running JAX process hang when they call JAX.

The parent has used JAX, so its runtime threads exist; the forked workers
inherit locks held by those threads, and their first JAX call never returns.
"""
import multiprocessing as mp

import jax.numpy as jnp


def simulate(seed):
    x = jnp.arange(4.0) * seed
    return float(jnp.sin(x).sum())


if __name__ == "__main__":
    print("parent:", float(jnp.ones(3).sum()))
    with mp.Pool(2) as pool:
        results = pool.map(simulate, range(4))
    print(results)
