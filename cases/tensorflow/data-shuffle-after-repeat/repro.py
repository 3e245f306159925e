"""`repeat()` before `shuffle()`: an epoch is no longer a pass over the data.

The shuffle buffer holds elements from two epochs at once, so the first
`len(data)` elements repeat some examples and miss others.
"""
import tensorflow as tf

n, epochs = 8, 3
ds = tf.data.Dataset.range(n).repeat(epochs).shuffle(buffer_size=n, seed=0)

stream = [int(v) for v in ds]
for e in range(epochs):
    epoch = stream[e * n:(e + 1) * n]
    assert sorted(epoch) == list(range(n)), (
        f"epoch {e + 1} is not a permutation of the data: {epoch}")
print("every epoch sees each example once")
