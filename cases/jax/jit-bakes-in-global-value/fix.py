"""Fix: pass the weight as an argument, so it is an input of the compiled program."""
import jax
import jax.numpy as jnp


@jax.jit
def penalised_loss(x, weight):
    return jnp.sum(x**2) * weight


x = jnp.array([1.0, 2.0])
assert float(penalised_loss(x, 10.0)) == 50.0
out = penalised_loss(x, 20.0)  # same compiled program, new value
print(out)
assert float(out) == 100.0, f"the jitted function still uses the old weight: {float(out)}"
