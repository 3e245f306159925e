"""Two losses, two gradient calls, one default tape.

A default `tf.GradientTape` releases what it recorded after the first
`gradient` call, so the second call raises.
"""
import tensorflow as tf

gen_w = tf.Variable(2.0)
disc_w = tf.Variable(3.0)
z = tf.constant(1.5)

with tf.GradientTape() as tape:
    fake = gen_w * z
    score = disc_w * fake
    gen_loss = -score
    disc_loss = score ** 2

gen_grad = tape.gradient(gen_loss, gen_w)
disc_grad = tape.gradient(disc_loss, disc_w)  # RuntimeError
print(gen_grad, disc_grad)
