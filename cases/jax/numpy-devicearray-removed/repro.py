"""jax.numpy.DeviceArray no longer exists from JAX 0.4.14 on.

Older code tests `isinstance(value, jnp.DeviceArray)` (here, to turn JAX
arrays into NumPy arrays before saving them); new releases raise AttributeError.
"""
import jax.numpy as jnp
import numpy as np


def to_numpy(results):
    """Convert the JAX arrays in a dict of results to NumPy arrays."""
    return {k: np.asarray(v) if isinstance(v, jnp.DeviceArray) else v for k, v in results.items()}


results = {"loss": jnp.array(0.25), "weights": jnp.arange(3.0), "step": 10}
converted = to_numpy(results)
print(converted)
assert isinstance(converted["weights"], np.ndarray)
assert converted["step"] == 10
