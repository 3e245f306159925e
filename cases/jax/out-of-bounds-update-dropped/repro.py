"""A histogram built with .at[].add silently drops an out-of-bounds bin index.

The maximum value maps to bin index 3 of a 3-bin histogram. NumPy would
raise IndexError; JAX drops the update, so one sample is lost.
"""
import jax.numpy as jnp

data = jnp.array([0.1, 0.4, 0.5, 0.8, 1.0])
n_bins = 3
bins = jnp.floor(data * n_bins).astype(jnp.int32)  # 1.0 -> bin 3
counts = jnp.zeros(n_bins, dtype=jnp.int32).at[bins].add(1)
print(counts)
assert int(counts.sum()) == len(data), f"only {int(counts.sum())} of {len(data)} samples were counted"
