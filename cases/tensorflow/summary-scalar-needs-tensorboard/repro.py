"""Logging a training metric with `tf.summary.scalar`, on a fresh TensorFlow 2.21+.

`tf.summary.scalar` (like `histogram`, `image`, `text` and `audio`) is
implemented by the TensorBoard package. TensorFlow 2.21 no longer installs
TensorBoard, so the call fails where earlier releases wrote the event.
"""
import glob
import tempfile

import numpy as np
import tensorflow as tf

logdir = tempfile.mkdtemp()
writer = tf.summary.create_file_writer(logdir)
with writer.as_default():
    for step in range(3):
        tf.summary.scalar("loss", 1.0 / (step + 1), step=step)  # fails without TensorBoard
writer.flush()

events = glob.glob(f"{logdir}/events.out.tfevents.*")
values = [
    float(tf.make_ndarray(v.tensor))
    for record in tf.data.TFRecordDataset(events[0])
    for v in tf.compat.v1.Event.FromString(record.numpy()).summary.value
    if v.tag == "loss"
]
print(values)
np.testing.assert_allclose(values, [1.0, 0.5, 1.0 / 3.0], rtol=1e-6)
