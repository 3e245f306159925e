"""Reserve a row for unknown words so every id is in range.

The table gets one extra (zero) row for out-of-vocabulary ids, so the lookup
gives the same, defined result on CPU and GPU.
"""
import numpy as np
import tensorflow as tf

vocab = ["the", "cat", "sat", "mat"]
embeddings = tf.reshape(tf.range(12, dtype=tf.float32), [4, 3])
oov_row = tf.zeros([1, 3])
table = tf.concat([embeddings, oov_row], axis=0)  # row 4 = unknown word

lookup = {w: i for i, w in enumerate(vocab)}
sentence = ["the", "dog", "sat"]
ids = tf.constant([lookup.get(w, len(vocab)) for w in sentence])

vectors = tf.gather(table, ids)
print(vectors.numpy())
np.testing.assert_array_equal(
    vectors.numpy(), [[0, 1, 2], [0, 0, 0], [6, 7, 8]])
