"""Save a `tf.Module` after one call, load it, call it with another batch size.

The `tf.function` has no input signature, so the SavedModel holds only the
graph traced for a batch of 2. The loaded object cannot trace new graphs.
"""
import tempfile

import tensorflow as tf


class Scaler(tf.Module):
    def __init__(self):
        self.scale = tf.Variable([2.0, 3.0])

    @tf.function
    def __call__(self, x):
        return x * self.scale


model = Scaler()
model(tf.ones([2, 2]))  # traced once, for shape (2, 2)

path = tempfile.mkdtemp()
tf.saved_model.save(model, path)
loaded = tf.saved_model.load(path)

print(loaded(tf.ones([2, 2])).numpy())  # the traced shape works
print(loaded(tf.ones([5, 2])).numpy())  # ValueError: no matching concrete function
