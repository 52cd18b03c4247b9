"""Reference answers for the `frameworks` assignment, Part 1 (numpy).

Conventions (the notebook says each once; the graders pin them):
    Z: (n, m) pre-activations of one layer for m examples; gamma, beta: (n, 1)
    AL, Y: (C, m) softmax outputs and one-hot labels, one column per example
    softmax_backward returns dZ = AL - Y: m times dJ/dZ of the MEAN cost,
    the 1/m goes into dW (as in the course's other notebooks)
    batch norm uses the biased variance (mean of squares, divide by m) and
    eps inside the square root; cache = (Z, Z_norm, mu, var, gamma, beta, eps)
    running averages: running = momentum * running + (1 - momentum) * batch

The first block repeats the student's helpers (source/frameworks/fw_utils.py)
that mutants and right variants may call.  Nothing here reseeds numpy's
global RNG.
"""
import numpy as np

LEARNING_RATE_RANGE = (1e-4, 1.0)    # log-uniform
BETA_EXPONENT_RANGE = (-3.0, -1.0)   # beta = 1 - 10**u, u uniform: beta in [0.9, 0.999]
N_H_RANGE = (10, 100)                # hidden units, uniform on the integers, both ends included


# ---------------------------------------------------------------- helpers

def relu(x):
    """max(0, x), elementwise.  x: any shape -> same shape."""
    return np.maximum(0, x)


def one_hot(labels, C):
    """labels: (m,) or (1, m) ints in [0, C) -> (C, m) float64 one-hot columns."""
    labels = np.asarray(labels).reshape(-1)
    Y = np.zeros((C, labels.size))
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


# ------------------------------------------------------- graded functions

def sample_hyperparameters(n, n_h_range=N_H_RANGE):
    """n random hyperparameter settings from numpy's global RNG.

    learning_rate: 10**r, r uniform on [-4, 0] (log-uniform on [1e-4, 1]);
    beta: 1 - 10**u, u uniform on [-3, -1] (beta in [0.9, 0.999]);
    n_h: integers uniform on n_h_range = (low, high), both ends included.
    Returns {"learning_rate": (n,), "beta": (n,), "n_h": (n,) ints}.
    """
    r = -4 * np.random.rand(n)
    u = np.random.uniform(-3, -1, n)
    n_h = np.random.randint(n_h_range[0], n_h_range[1] + 1, n)
    return {"learning_rate": 10.0 ** r, "beta": 1 - 10.0 ** u, "n_h": n_h}


def softmax(Z):
    """Column-wise softmax, stable for large |Z|.  Z: (C, m) -> (C, m), columns sum to 1."""
    shifted = Z - Z.max(axis=0, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=0, keepdims=True)


def compute_softmax_cost(AL, Y):
    """Mean cross-entropy -1/m sum_i sum_k Y[k, i] log AL[k, i].
    AL: (C, m) probabilities.  Y: (C, m) one-hot.  Returns a float."""
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(AL)) / m)


def softmax_backward(AL, Y):
    """dZ = AL - Y: (C, m) (m times the gradient of the mean cost, 1/m goes into dW)."""
    return AL - Y


def batchnorm_forward(Z, gamma, beta, eps=1e-5):
    """Batch norm in training mode, statistics of this mini-batch.
    Z: (n, m).  gamma, beta: (n, 1).
    Returns Z_out: (n, m) and cache = (Z, Z_norm, mu, var, gamma, beta, eps),
    mu, var: (n, 1) (biased variance)."""
    mu = Z.mean(axis=1, keepdims=True)
    var = ((Z - mu) ** 2).mean(axis=1, keepdims=True)
    Z_norm = (Z - mu) / np.sqrt(var + eps)
    return gamma * Z_norm + beta, (Z, Z_norm, mu, var, gamma, beta, eps)


def batchnorm_backward(dZ_out, cache):
    """Gradients through batchnorm_forward.  dZ_out: (n, m); cache from the forward.
    Returns dZ: (n, m), dgamma: (n, 1), dbeta: (n, 1)."""
    Z, Z_norm, mu, var, gamma, beta, eps = cache
    dbeta = dZ_out.sum(axis=1, keepdims=True)
    dgamma = (dZ_out * Z_norm).sum(axis=1, keepdims=True)
    dZ_norm = dZ_out * gamma
    dZ = (dZ_norm - dZ_norm.mean(axis=1, keepdims=True)
          - Z_norm * (dZ_norm * Z_norm).mean(axis=1, keepdims=True)) / np.sqrt(var + eps)
    return dZ, dgamma, dbeta


def update_running_averages(running_mu, running_var, mu, var, momentum=0.9):
    """Exponentially weighted averages of the batch statistics.
    All (n, 1).  Returns new (running_mu, running_var); the inputs are left as they are."""
    return (momentum * running_mu + (1 - momentum) * mu,
            momentum * running_var + (1 - momentum) * var)


def batchnorm_inference(Z, gamma, beta, running_mu, running_var, eps=1e-5):
    """Batch norm at test time: the running averages, not this batch's statistics.
    Z: (n, m).  gamma, beta, running_mu, running_var: (n, 1).  Returns (n, m)."""
    return gamma * (Z - running_mu) / np.sqrt(running_var + eps) + beta
