"""Fix: a fixed number of steps with lax.fori_loop and static bounds.

With Python-int bounds fori_loop is lowered to lax.scan, which supports
reverse-mode differentiation.
"""
import jax
from jax import lax


def grow(rate, years=10):
    return lax.fori_loop(0, years, lambda t, value: value * (1.0 + rate), 100.0)


value = grow(0.05)
g = jax.grad(grow)(0.05)
print(value, g)
# d/dr 100 (1 + r)^10 = 1000 (1 + r)^9
assert abs(float(value) - 100 * 1.05**10) < 1e-3, value
assert abs(float(g) - 1000 * 1.05**9) < 1e-2, g
