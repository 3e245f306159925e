"""Average a floating-point tensor: cast the hits to float32 first."""
import tensorflow as tf

labels = tf.constant([0, 1, 2, 1])
logits = tf.constant([[2.0, 0.1, 0.1], [0.1, 2.0, 0.1],
                      [2.0, 0.1, 0.1], [0.1, 2.0, 0.1]])
predictions = tf.argmax(logits, axis=1, output_type=tf.int32)

hits = tf.cast(predictions == labels, tf.float32)  # float, not int32
accuracy = tf.reduce_mean(hits)
print("accuracy:", accuracy)
assert accuracy.dtype == tf.float32
assert float(accuracy) == 0.75, f"accuracy is {accuracy.numpy()}, expected 0.75"
