"""A jitted method that assigns to self leaks a tracer; the next use fails.

Inside jit, `self.w - lr * g` is a tracer. Assigning it to `self.w` stores
the tracer on the object, where it outlives the trace that created it; the
next computation with `self.w` fails.
"""
import jax
import jax.numpy as jnp


class LinearModel:
    def __init__(self):
        self.w = jnp.zeros(2)

    def loss(self, w, x, y):
        return jnp.mean((x @ w - y) ** 2)

    def predict(self, x):
        return x @ self.w

    def train_step(self, x, y, lr=0.1):
        g = jax.grad(self.loss)(self.w, x, y)
        self.w = self.w - lr * g  # side effect on self
        return self.loss(self.w, x, y)


x = jnp.array([[1.0, 0.0], [0.0, 1.0]])
y = jnp.array([1.0, -1.0])
model = LinearModel()
step = jax.jit(model.train_step)
for _ in range(3):
    print(step(x, y))  # same loss every time: the update never happens
print(model.predict(x))  # self.w holds a tracer from the first trace
