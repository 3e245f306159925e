"""Keras 3: the Keras 2 backend math functions (K.sum, K.flatten, ...) are gone.

A Jaccard metric in the style of many segmentation tutorials fails on its first
call, when fit() traces the metric.
"""
import numpy as np
import keras
from keras import backend as K


def jacard_coef(y_true, y_pred):
    y_true_f = K.flatten(y_true)
    y_pred_f = K.flatten(y_pred)
    intersection = K.sum(y_true_f * y_pred_f)
    return (intersection + 1.0) / (K.sum(y_true_f) + K.sum(y_pred_f) - intersection + 1.0)


x = np.random.default_rng(0).random((8, 4, 4, 1)).astype("float32")
y = (x > 0.5).astype("float32")
model = keras.Sequential(
    [keras.Input(shape=(4, 4, 1)), keras.layers.Conv2D(1, 1, activation="sigmoid")]
)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[jacard_coef])
model.fit(x, y, epochs=1, verbose=0)  # AttributeError
