"""Give the labels the same structure as the model's outputs: a list in output order.

With y_pred and y_true both lists there is nothing to reorder, and each metric
sees its own head's labels on every keras 3 release.
"""
import numpy as np
import keras

inputs = keras.Input(shape=(2,))
# Heads with constant predictions (zero kernel), so the right metric values are known.
price = keras.layers.Dense(1, kernel_initializer="zeros",
                           bias_initializer=keras.initializers.Constant(100.0), name="price")(inputs)
count = keras.layers.Dense(1, kernel_initializer="zeros",
                           bias_initializer=keras.initializers.Constant(3.0), name="count")(inputs)
model = keras.Model(inputs, [price, count])
model.compile(
    optimizer="sgd",
    loss={"price": "mse", "count": "mse"},
    metrics={"price": ["mae"], "count": ["mae"]},
)

x = np.zeros((8, 2), "float32")
y = [np.full((8, 1), 110.0, "float32"), np.full((8, 1), 5.0, "float32")]  # output order
result = model.evaluate(x, y, return_dict=True, verbose=0)
print(result)

assert np.isclose(result["price_mae"], 10.0), f"price_mae is {result['price_mae']}, expected 10.0"
assert np.isclose(result["count_mae"], 2.0), f"count_mae is {result['count_mae']}, expected 2.0"
# Loss: mse(price) + mse(count) = 10**2 + 2**2.
assert np.isclose(result["loss"], 104.0), result["loss"]
print("ok")
