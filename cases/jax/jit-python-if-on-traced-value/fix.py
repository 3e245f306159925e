"""Fix: choose between the two results with jnp.where instead of a Python if.

Both branches are computed and the condition selects element-wise, which
works on tracers. (jax.lax.cond is the alternative when a branch is costly.)
"""
import jax
import jax.numpy as jnp


@jax.jit
def clipped_step(grad, max_norm):
    norm = jnp.linalg.norm(grad)
    return jnp.where(norm > max_norm, grad * (max_norm / norm), grad)


big = clipped_step(jnp.array([3.0, 4.0]), 1.0)
small = clipped_step(jnp.array([0.3, 0.4]), 1.0)
print(big, small)

assert jnp.allclose(big, jnp.array([0.6, 0.8])), big
assert jnp.allclose(small, jnp.array([0.3, 0.4])), small
