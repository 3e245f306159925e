"""`shuffle()` before `repeat()`: each epoch is a fresh permutation.

The buffer is filled from one epoch at a time, and with
`reshuffle_each_iteration=True` (the default) every repetition has its own order.
"""
import tensorflow as tf

n, epochs = 8, 3
ds = tf.data.Dataset.range(n).shuffle(buffer_size=n, seed=0).repeat(epochs)

stream = [int(v) for v in ds]
orders = []
for e in range(epochs):
    epoch = stream[e * n:(e + 1) * n]
    assert sorted(epoch) == list(range(n)), (
        f"epoch {e + 1} is not a permutation of the data: {epoch}")
    orders.append(tuple(epoch))
assert len(set(orders)) > 1, "the epochs were not reshuffled"
print("every epoch sees each example once:", orders)
