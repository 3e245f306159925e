"""Fix: use jax.numpy (jnp.tanh) inside functions that JAX transforms."""
import jax
import jax.numpy as jnp

X = jnp.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
y = jnp.array([0.5, -0.5, 0.0])


def loss(w):
    pred = jnp.tanh(X @ w)
    return ((pred - y) ** 2).mean()


g = jax.grad(loss)(jnp.zeros(2))
print(g)
# At w = 0, tanh'(0) = 1, so the gradient is -2/3 * X.T @ y.
expected = -2.0 / 3.0 * (X.T @ y)
assert jnp.allclose(g, expected), (g, expected)
