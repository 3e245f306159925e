"""An embedding lookup with an id one past the end of the table.

Token ids come from a vocabulary of 4 words, and an unknown word gets the id
4. On CPU `tf.gather` checks the index and raises; on a GPU it would return
a row of zeros instead.
"""
import tensorflow as tf

vocab = ["the", "cat", "sat", "mat"]
embeddings = tf.reshape(tf.range(12, dtype=tf.float32), [4, 3])

lookup = {w: i for i, w in enumerate(vocab)}
sentence = ["the", "dog", "sat"]
ids = tf.constant([lookup.get(w, len(vocab)) for w in sentence])  # "dog" -> 4

vectors = tf.gather(embeddings, ids)
print(vectors.numpy())
