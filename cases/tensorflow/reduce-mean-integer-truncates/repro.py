"""Accuracy computed as the mean of an int32 tensor of hits.

`tf.reduce_mean` returns the input's dtype, so the mean of [1, 1, 0, 1] is
computed in integer arithmetic and comes out as 0.
"""
import tensorflow as tf

labels = tf.constant([0, 1, 2, 1])
logits = tf.constant([[2.0, 0.1, 0.1], [0.1, 2.0, 0.1],
                      [2.0, 0.1, 0.1], [0.1, 2.0, 0.1]])
predictions = tf.argmax(logits, axis=1, output_type=tf.int32)

hits = tf.cast(predictions == labels, tf.int32)
accuracy = tf.reduce_mean(hits)
print("accuracy:", accuracy)
assert float(accuracy) == 0.75, f"accuracy is {accuracy.numpy()}, expected 0.75"
