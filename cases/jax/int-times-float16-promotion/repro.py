"""Scaling integer counts by a float16 factor: JAX keeps float16, NumPy does not.

int32 * float16 -> float16 under JAX's promotion rules; 2049 rounds to 2048
and 70000 overflows to inf. NumPy promotes the same operation to float64.
"""
import jax.numpy as jnp
import numpy as np

counts = np.array([10, 2049, 70000], dtype=np.int32)
scale = np.float16(1.0)  # e.g. a per-channel gain stored in half precision

expected = counts * scale  # NumPy: float64
result = jnp.asarray(counts) * jnp.asarray(scale)
print(result.dtype, result, "vs NumPy", expected.dtype, expected)
assert np.allclose(np.asarray(result, dtype=np.float64), expected), "JAX result differs from NumPy"
