"""Fix: clip the indices into range (the right edge belongs to the last bin).

Out-of-range indices are a bug to handle explicitly in JAX; clip them, mask
them, or use jnp.histogram, which includes the right edge.
"""
import jax.numpy as jnp

data = jnp.array([0.1, 0.4, 0.5, 0.8, 1.0])
n_bins = 3
bins = jnp.clip(jnp.floor(data * n_bins).astype(jnp.int32), 0, n_bins - 1)
counts = jnp.zeros(n_bins, dtype=jnp.int32).at[bins].add(1)
print(counts)
assert int(counts.sum()) == len(data), f"only {int(counts.sum())} of {len(data)} samples were counted"
ref, _ = jnp.histogram(data, bins=n_bins, range=(0.0, 1.0))
assert counts.tolist() == ref.tolist() == [1, 2, 2], (counts, ref)
