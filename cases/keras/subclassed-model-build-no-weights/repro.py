"""Keras 3: Model.build(input_shape) on a subclassed model leaves its layers unbuilt.

Keras 2 ran call() on a placeholder to create the sublayers' weights; Keras 3
only marks the model as built, warns, and summary() reports 0 parameters.
"""
import keras


class MLP(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = keras.layers.Dense(8, activation="relu")
        self.head = keras.layers.Dense(1)

    def call(self, x):
        return self.head(self.hidden(x))


model = MLP()
model.build((None, 3))  # UserWarning: ... does not have a `build()` method implemented
model.summary()  # Total params: 0
print("weights after build:", len(model.weights))
