"""Fix: the double-where trick; feed the risky op a safe input where unused."""
import jax
import jax.numpy as jnp


def safe_sqrt(x):
    positive = x > 0
    x_safe = jnp.where(positive, x, 1.0)  # sqrt never sees 0 or negatives
    return jnp.where(positive, jnp.sqrt(x_safe), 0.0)


def loss(x):
    return jnp.sum(safe_sqrt(x))


x = jnp.array([0.0, 4.0])
g = jax.grad(loss)(x)
print(g)
assert jnp.all(jnp.isfinite(g)), f"gradient is not finite: {g}"
assert jnp.allclose(g, jnp.array([0.0, 0.25])), g
assert jnp.allclose(safe_sqrt(x), jnp.array([0.0, 2.0]))
