"""Per-output metrics of a two-output model are computed against the other output's labels.

The model returns a list [price, count]; the labels are a dict keyed by output
name, as the Keras guides show. keras 3.14 pairs the list with the dict in
sorted-key order, so "price_mae" compares the price head with the count labels.
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
y = {"price": np.full((8, 1), 110.0, "float32"), "count": np.full((8, 1), 5.0, "float32")}
result = model.evaluate(x, y, return_dict=True, verbose=0)
print(result)

# The price head predicts 100 for a label of 110, the count head 3 for a label of 5.
assert np.isclose(result["price_mae"], 10.0), f"price_mae is {result['price_mae']}, expected 10.0"
assert np.isclose(result["count_mae"], 2.0), f"count_mae is {result['count_mae']}, expected 2.0"
