"""TensorFlow upgraded to 2.16 while tensorflow-probability stays at 0.23.

TFP 0.23 reaches Keras through `tf.keras` at import time. From TensorFlow
2.16, `tf.keras` is Keras 3, which lacks the Keras 2 internals TFP 0.23 uses,
so `import tensorflow_probability` fails.
"""
import tensorflow as tf
import tensorflow_probability as tfp  # fails with TFP <= 0.23 on TensorFlow >= 2.16

tfd = tfp.distributions
print("tensorflow", tf.__version__, "tfp", tfp.__version__)
lp = tfd.Normal(loc=0.0, scale=1.0).log_prob(0.0)
print(float(lp))
assert abs(float(lp) + 0.9189385) < 1e-6
