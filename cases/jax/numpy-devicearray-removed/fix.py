"""Fix: test against jax.Array, the array type since JAX 0.4.1."""
import jax
import jax.numpy as jnp
import numpy as np


def to_numpy(results):
    """Convert the JAX arrays in a dict of results to NumPy arrays."""
    return {k: np.asarray(v) if isinstance(v, jax.Array) else v for k, v in results.items()}


results = {"loss": jnp.array(0.25), "weights": jnp.arange(3.0), "step": 10}
converted = to_numpy(results)
print(converted)
assert isinstance(converted["weights"], np.ndarray)
assert isinstance(converted["loss"], np.ndarray) and float(converted["loss"]) == 0.25
np.testing.assert_array_equal(converted["weights"], [0.0, 1.0, 2.0])
assert converted["step"] == 10
