"""Helpers for the gradient-checking assignment: activations, the
dictionary <-> vector conversions a gradient check needs, an example, a plot.

Conventions (the same in the graded functions):
    X: (n_x, m) one example per column      Y: (1, m) labels 0 or 1
    W{l}: (n[l], n[l-1])                     b{l}: (n[l], 1)
    theta: (n_params, 1), every parameter flattened in the order
           W1, b1, W2, b2, W3, b3 (each array row by row).

The notebook's network has LAYER_DIMS = (4, 5, 3, 1): 4 input features, hidden
layers of 5 and 3 units, 1 output, so n_params = 5*4 + 5 + 3*5 + 3 + 1*3 + 1 = 47.
dictionary_to_vector and gradients_to_vector read every shape from the dict
they are given; vector_to_dictionary cannot (a flat vector has no shapes), so
it takes the layer sizes, by default LAYER_DIMS.

Nothing here reseeds numpy's global RNG.
"""
import matplotlib.pyplot as plt
import numpy as np

# The notebook's network: 4 input features, hidden layers of 5 and 3 units, 1 output.
LAYER_DIMS = (4, 5, 3, 1)


def sigmoid(Z):
    """1 / (1 + exp(-Z)), elementwise.  Z: any shape -> same shape, in (0, 1)."""
    return 1 / (1 + np.exp(-Z))


def relu(Z):
    """max(0, Z), elementwise.  Z: any shape -> same shape."""
    return np.maximum(0, Z)


def dictionary_to_vector(parameters):
    """{"W1", "b1", ..., "WL", "bL"} -> (theta, keys).

    theta: (n_params, 1), the arrays flattened in the order W1, b1, ..., WL, bL.
    keys: a list of n_params names; keys[i] is the parameter theta[i] comes from.
    """
    L = sum(1 for k in parameters if k.startswith("W"))
    names = [f"{p}{l}" for l in range(1, L + 1) for p in "Wb"]
    pieces = [np.reshape(parameters[k], (-1, 1)) for k in names]
    keys = [k for k, piece in zip(names, pieces) for _ in range(piece.shape[0])]
    return np.concatenate(pieces, axis=0).astype(np.float64), keys


def vector_to_dictionary(theta, layer_dims=LAYER_DIMS):
    """theta: (n_params, 1) -> {"W1": (n1, n0), "b1": (n1, 1), ...}, fresh copies.

    layer_dims: [n0, n1, ..., nL], by default the notebook's network LAYER_DIMS.
    """
    theta = np.reshape(theta, (-1,))
    shapes = {}
    for l in range(1, len(layer_dims)):
        shapes[f"W{l}"] = (layer_dims[l], layer_dims[l - 1])
        shapes[f"b{l}"] = (layer_dims[l], 1)
    needed = sum(rows * cols for rows, cols in shapes.values())
    if theta.size != needed:
        raise ValueError(f"theta has {theta.size} entries; layer_dims {tuple(layer_dims)} "
                         f"needs {needed}")
    parameters, start = {}, 0
    for name, (rows, cols) in shapes.items():
        parameters[name] = theta[start:start + rows * cols].reshape(rows, cols).copy()
        start += rows * cols
    return parameters


def gradients_to_vector(gradients):
    """{"dW1", "db1", ..., "dWL", "dbL", ...} -> (n_params, 1), in the order of
    dictionary_to_vector.  Other keys (dZ1, dA1, ...) are ignored."""
    L = sum(1 for k in gradients if k.startswith("dW"))
    names = [f"d{p}{l}" for l in range(1, L + 1) for p in "Wb"]
    return np.concatenate([np.reshape(gradients[k], (-1, 1)) for k in names],
                          axis=0).astype(np.float64)


def make_example(m=3, layer_dims=LAYER_DIMS):
    """A small random problem for gradient checks, drawn from numpy's global RNG.

    Returns X: (n0, m), Y: (1, m) labels 0/1, and parameters W{l}: (n[l], n[l-1])
    ~ N(0, 1) / sqrt(n[l-1]), b{l}: (n[l], 1) ~ N(0, 0.25) (biases are not zero,
    so that their gradients are checked too).
    """
    X = np.random.randn(layer_dims[0], m)
    Y = (np.random.rand(1, m) < 0.5).astype(np.float64)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = np.random.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])
        parameters[f"b{l}"] = np.random.randn(layer_dims[l], 1) * 0.5
    return X, Y, parameters


def plot_difference_errors(epsilons, errors, title):
    """Log-log plot of derivative estimates' errors against the step epsilon.

    epsilons: (k,) steps.  errors: {label: (k,) absolute errors}.
    """
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for label, err in errors.items():
        ax.loglog(epsilons, np.maximum(err, 1e-17), marker="o", label=label)
    ax.set_xlabel("step epsilon")
    ax.set_ylabel("|estimate - true derivative|")
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    return ax
