"""The "double where" fix for NaN gradients through `tf.where`.

First replace the inputs that the selected branch will not use with a safe
value (here 1.0, where log is finite), so the branch never sees p = 0. Then
select as before. The masked-out elements then get a gradient of exactly 0.
"""
import numpy as np
import tensorflow as tf

p = tf.Variable([0.0, 0.25, 0.75])
with tf.GradientTape() as tape:
    positive = p > 0
    safe_p = tf.where(positive, p, 1.0)                      # inner where
    plogp = tf.where(positive, safe_p * tf.math.log(safe_p), 0.0)  # outer where
    entropy = -tf.reduce_sum(plogp)
grad = tape.gradient(entropy, p).numpy()

np.testing.assert_allclose(entropy.numpy(), -(0.25 * np.log(0.25) + 0.75 * np.log(0.75)), rtol=1e-6)
# d/dp of -p log p is -(log p + 1) where p > 0, and 0 at the masked p = 0
expected = np.array([0.0, -(np.log(0.25) + 1.0), -(np.log(0.75) + 1.0)], np.float32)
np.testing.assert_allclose(grad, expected, rtol=1e-6)
assert grad[0] == 0.0, f"gradient at p=0: {grad[0]}"
print("ok: gradient", grad)
