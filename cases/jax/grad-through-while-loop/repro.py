"""jax.grad of a function that iterates with lax.while_loop raises ValueError.

Compound interest applied step by step; the loop stops at a run-time
condition, so the number of iterations is not known to reverse mode.
"""
import jax
from jax import lax


def grow(rate, years=10):
    def cond(state):
        t, _ = state
        return t < years

    def body(state):
        t, value = state
        return t + 1, value * (1.0 + rate)

    _, value = lax.while_loop(cond, body, (0, 100.0))
    return value


print(grow(0.05))
print(jax.grad(grow)(0.05))
