"""Write the scalar with `tf.summary.write`, which TensorFlow itself implements.

`tf.summary.write` takes a tag, a tensor, a step and metadata; with the
plugin name `tf.summary.scalar` writes ("scalars") and the scalar data class
TensorBoard gives such values, TensorBoard shows them as a scalar plot. The
other way out is to install the `tensorboard` package next to TensorFlow.
"""
import glob
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow.core.framework import summary_pb2

logdir = tempfile.mkdtemp()
writer = tf.summary.create_file_writer(logdir)
scalar_metadata = summary_pb2.SummaryMetadata(  # marks the value as a TensorBoard scalar
    plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="scalars"),
    data_class=summary_pb2.DATA_CLASS_SCALAR,
)
with writer.as_default():
    for step in range(3):
        tf.summary.write("loss", tf.constant(1.0 / (step + 1)), step=step,
                         metadata=scalar_metadata)
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
