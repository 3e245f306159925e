"""Give the `tf.function` an input signature with a `None` batch dimension.

The saved graph then accepts any batch size; dtype and the feature size
are still checked.
"""
import tempfile

import numpy as np
import tensorflow as tf


class Scaler(tf.Module):
    def __init__(self):
        self.scale = tf.Variable([2.0, 3.0])

    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    def __call__(self, x):
        return x * self.scale


model = Scaler()

path = tempfile.mkdtemp()
tf.saved_model.save(model, path)
loaded = tf.saved_model.load(path)

for batch in (2, 5):
    out = loaded(tf.ones([batch, 2])).numpy()
    print(out)
    np.testing.assert_array_equal(out, np.tile([2.0, 3.0], (batch, 1)))
