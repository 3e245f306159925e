"""A Python `if` on a traced value inside jax.jit raises TracerBoolConversionError.

The step size is halved when the gradient norm is large. Eagerly this works;
under jit `norm > max_norm` is a tracer with no concrete True/False value.
"""
import jax
import jax.numpy as jnp


@jax.jit
def clipped_step(grad, max_norm):
    norm = jnp.linalg.norm(grad)
    if norm > max_norm:
        return grad * (max_norm / norm)
    return grad


print(clipped_step(jnp.array([3.0, 4.0]), 1.0))
