"""A loss written with NumPy raises TracerArrayConversionError under jax.grad.

`np.tanh` is a NumPy function: it converts its argument to an ndarray,
which a tracer cannot be.
"""
import jax
import jax.numpy as jnp
import numpy as np

X = jnp.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
y = jnp.array([0.5, -0.5, 0.0])


def loss(w):
    pred = np.tanh(X @ w)
    return ((pred - y) ** 2).mean()


print(jax.grad(loss)(jnp.zeros(2)))
