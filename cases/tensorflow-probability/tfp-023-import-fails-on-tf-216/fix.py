"""Keep Keras 2 behind `tf.keras` for the whole program: TF_USE_LEGACY_KERAS=1.

With the `tf-keras` package installed and the variable set before TensorFlow
is imported, `tf.keras` is Keras 2 again, so TFP 0.23 imports; newer TFP
releases (0.24+, which use `tf_keras` themselves) run the same way.
"""
import os

os.environ["TF_USE_LEGACY_KERAS"] = "1"  # before the first import of TensorFlow

import tensorflow as tf  # noqa: E402
import tensorflow_probability as tfp  # noqa: E402

tfd = tfp.distributions
print("tensorflow", tf.__version__, "tfp", tfp.__version__)
lp = tfd.Normal(loc=0.0, scale=1.0).log_prob(0.0)
print(float(lp))
assert abs(float(lp) + 0.9189385) < 1e-6
