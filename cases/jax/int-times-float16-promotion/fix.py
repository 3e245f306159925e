"""Fix: choose the computation dtype explicitly (float32) before mixing types."""
import jax.numpy as jnp
import numpy as np

counts = np.array([10, 2049, 70000], dtype=np.int32)
scale = np.float16(1.0)

expected = counts * scale
result = jnp.asarray(counts, dtype=jnp.float32) * jnp.asarray(scale, dtype=jnp.float32)
print(result.dtype, result, "vs NumPy", expected.dtype, expected)
assert result.dtype == jnp.float32, result.dtype
assert np.allclose(np.asarray(result, dtype=np.float64), expected), "JAX result differs from NumPy"
