"""Reference answers for the `optimization` assignment.

Parameters and their gradients are dicts over layers l = 1..L:
``parameters``: W{l}: (n[l], n[l-1]), b{l}: (n[l], 1); ``grads``: dW{l}, db{l}
of the same shapes.  Optimizer state (``v``, ``s``) is keyed like ``grads``.
All float64.  Updates return new dicts and leave their arguments untouched.

Only ``random_mini_batches`` touches numpy's global RNG: its signature takes a
seed, and it calls ``np.random.seed(seed)`` then ``np.random.permutation(m)``.
"""
import math

import numpy as np


def _layers(parameters):
    """Number of layers L of a parameter dict {W1, b1, ..., WL, bL}."""
    return len(parameters) // 2


def update_parameters_with_gd(parameters, grads, learning_rate):
    """One step of gradient descent: W{l} <- W{l} - learning_rate * dW{l}, same for b.

    parameters: W{l} (n[l], n[l-1]), b{l} (n[l], 1); grads: dW{l}, db{l} alike.
    Returns the updated parameters (a new dict).
    """
    new = {}
    for l in range(1, _layers(parameters) + 1):
        for p in ("W", "b"):
            new[f"{p}{l}"] = parameters[f"{p}{l}"] - learning_rate * grads[f"d{p}{l}"]
    return new


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    """Shuffle the m examples with one permutation and cut them into mini-batches.

    X: (n_x, m); Y: (1, m).  Seeds numpy's global RNG with ``seed`` and takes
    ``np.random.permutation(m)``.  Returns a list of (mini_batch_X: (n_x, k),
    mini_batch_Y: (1, k)): floor(m / mini_batch_size) batches of
    k = mini_batch_size, then one batch of the m % mini_batch_size left over
    if that is not zero.
    """
    np.random.seed(seed)
    m = X.shape[1]
    order = np.random.permutation(m)
    X_shuffled, Y_shuffled = X[:, order], Y[:, order].reshape((1, m))
    batches = []
    for k in range(math.ceil(m / mini_batch_size)):
        cols = slice(k * mini_batch_size, min((k + 1) * mini_batch_size, m))
        batches.append((X_shuffled[:, cols], Y_shuffled[:, cols]))
    return batches


def _zeros_like_grads(parameters):
    """{dW{l}, db{l}}: zeros shaped like W{l}, b{l}."""
    return {f"d{p}{l}": np.zeros_like(parameters[f"{p}{l}"], dtype=np.float64)
            for l in range(1, _layers(parameters) + 1) for p in ("W", "b")}


def initialize_velocity(parameters):
    """Momentum's velocity: v{dW{l}}: zeros (n[l], n[l-1]), v{db{l}}: zeros (n[l], 1)."""
    return _zeros_like_grads(parameters)


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    """One momentum step: v <- beta * v + (1 - beta) * grad, then W <- W - learning_rate * v.

    parameters: W{l}, b{l}; grads and v: dW{l}, db{l}, same shapes.
    Returns (parameters, v), both new dicts.
    """
    new_params, new_v = {}, {}
    for l in range(1, _layers(parameters) + 1):
        for p in ("W", "b"):
            g = f"d{p}{l}"
            new_v[g] = beta * v[g] + (1 - beta) * grads[g]
            new_params[f"{p}{l}"] = parameters[f"{p}{l}"] - learning_rate * new_v[g]
    return new_params, new_v


def initialize_adam(parameters):
    """Adam's state: (v, s), two separate dicts of zeros keyed dW{l}, db{l}."""
    return _zeros_like_grads(parameters), _zeros_like_grads(parameters)


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01,
                                beta1=0.9, beta2=0.999, epsilon=1e-8):
    """One Adam step (Kingma & Ba, 2015); t counts steps from 1.

    v <- beta1 v + (1 - beta1) g;      v_corrected = v / (1 - beta1**t)
    s <- beta2 s + (1 - beta2) g**2;   s_corrected = s / (1 - beta2**t)
    W <- W - learning_rate * v_corrected / (sqrt(s_corrected) + epsilon)

    parameters: W{l} (n[l], n[l-1]), b{l} (n[l], 1); grads, v, s: dW{l}, db{l}.
    Returns (parameters, v, s, v_corrected, s_corrected), all new dicts.
    """
    new_params, new_v, new_s, v_corr, s_corr = {}, {}, {}, {}, {}
    for l in range(1, _layers(parameters) + 1):
        for p in ("W", "b"):
            g = f"d{p}{l}"
            new_v[g] = beta1 * v[g] + (1 - beta1) * grads[g]
            new_s[g] = beta2 * s[g] + (1 - beta2) * grads[g] ** 2
            v_corr[g] = new_v[g] / (1 - beta1 ** t)
            s_corr[g] = new_s[g] / (1 - beta2 ** t)
            new_params[f"{p}{l}"] = (parameters[f"{p}{l}"]
                                     - learning_rate * v_corr[g] / (np.sqrt(s_corr[g]) + epsilon))
    return new_params, new_v, new_s, v_corr, s_corr


def update_lr(learning_rate0, epoch_num, decay_rate):
    """Learning rate decayed every epoch: learning_rate0 / (1 + decay_rate * epoch_num)."""
    return learning_rate0 / (1 + decay_rate * epoch_num)


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    """Learning rate decayed every ``time_interval`` epochs:
    learning_rate0 / (1 + decay_rate * floor(epoch_num / time_interval))."""
    return learning_rate0 / (1 + decay_rate * (epoch_num // time_interval))
