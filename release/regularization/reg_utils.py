"""Helpers for the regularization assignment: data, a 3-layer network, plots.

Conventions (the same in the graded functions):
    X: (n_x, m) one example per column      Y: (1, m) labels 0 or 1
    W{l}: (n[l], n[l-1])                     b{l}: (n[l], 1)
    the network is LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID.

Nothing here reseeds numpy's global RNG: `initialize_parameters` draws from it,
so seed it yourself (np.random.seed) before calling it.  `make_2d_dataset` uses
its own generator, so it does not disturb the global one.
"""
import matplotlib.pyplot as plt
from matplotlib.patches import Patch
import numpy as np


def sigmoid(x):
    """Logistic function, elementwise.  x: any shape -> same shape, in (0, 1)."""
    return 1 / (1 + np.exp(-x))


def relu(x):
    """max(0, x), elementwise.  x: any shape -> same shape."""
    return np.maximum(0, x)


def initialize_parameters(layer_dims):
    """He initialization: W{l} ~ N(0, 2 / n[l-1]), b{l} = 0.

    layer_dims: [n_x, n1, ..., n_L].
    Returns {"W1": (n1, n_x), "b1": (n1, 1), ..., "WL": (n_L, n[L-1]), "bL": (n_L, 1)}.
    """
    parameters = {}
    for l in range(1, len(layer_dims)):
        fan_in = layer_dims[l - 1]
        parameters[f"W{l}"] = np.random.randn(layer_dims[l], fan_in) * np.sqrt(2 / fan_in)
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters


def forward_propagation(X, parameters):
    """Forward pass of the 3-layer network.

    X: (n_x, m).  parameters: W1 (n1, n_x), b1 (n1, 1), W2 (n2, n1), b2 (n2, 1),
    W3 (1, n2), b3 (1, 1).
    Returns A3: (1, m), the probability of label 1, and
    cache = (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3).
    """
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
    Z1 = W1 @ X + b1
    A1 = relu(Z1)
    Z2 = W2 @ A1 + b2
    A2 = relu(Z2)
    Z3 = W3 @ A2 + b3
    A3 = sigmoid(Z3)
    return A3, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)


# A sigmoid of a large |z| rounds to exactly 0.0 or 1.0 in float64, and log(0)
# is -inf.  compute_cost clips probabilities this far from 0 and 1 first; it
# changes the cost of any A3 not already within 1e-15 of 0 or 1 by nothing.
PROB_CLIP = 1e-15


def compute_cost(A3, Y):
    """Mean cross-entropy over the m examples.

    A3: (1, m) probabilities in (0, 1).  Y: (1, m) labels 0/1.
    Returns a float, >= 0.
    """
    m = Y.shape[1]
    A3 = np.clip(A3, PROB_CLIP, 1 - PROB_CLIP)
    return float(-np.sum(Y * np.log(A3) + (1 - Y) * np.log(1 - A3)) / m)


def backward_propagation(X, Y, cache):
    """Gradients of compute_cost for the network of forward_propagation.

    X: (n_x, m).  Y: (1, m).  cache: as returned by forward_propagation.
    Returns {"dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1",
    "dW1", "db1"}: each has the shape of the array it is the gradient of
    (dZ3 like Z3, dW3 like W3, ...).  Keys are capitalised like the graded
    functions of this assignment.
    """
    m = X.shape[1]
    Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3 = cache
    dZ3 = (A3 - Y) / m
    dW3 = dZ3 @ A2.T
    db3 = np.sum(dZ3, axis=1, keepdims=True)
    dA2 = W3.T @ dZ3
    dZ2 = dA2 * (Z2 > 0)
    dW2 = dZ2 @ A1.T
    db2 = np.sum(dZ2, axis=1, keepdims=True)
    dA1 = W2.T @ dZ2
    dZ1 = dA1 * (Z1 > 0)
    dW1 = dZ1 @ X.T
    db1 = np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2,
            "db2": db2, "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


def update_parameters(parameters, grads, learning_rate):
    """One step of gradient descent: p <- p - learning_rate * dp.

    parameters: {"W1", "b1", ...}.  grads: holds "dW1", "db1", ... of the same shapes.
    Returns a new dict; the arrays passed in are left as they were.
    """
    return {name: p - learning_rate * grads["d" + name] for name, p in parameters.items()}


def predict_labels(X, parameters):
    """Predicted labels 0/1 (threshold 0.5).  X: (n_x, m) -> (1, m) ints."""
    A3, _ = forward_propagation(X, parameters)
    return (A3 > 0.5).astype(int)


def predict(X, Y, parameters):
    """Prints and returns the accuracy: the fraction of examples labelled right.

    X: (n_x, m).  Y: (1, m).  Returns a float in [0, 1].
    """
    accuracy = float(np.mean(predict_labels(X, parameters) == Y))
    print(f"Accuracy: {accuracy:.3f}")
    return accuracy


def make_2d_dataset(n_train=80, n_test=2000, noise=0.25, seed=3):
    """Points in the square [-1, 1]^2 split by a wavy boundary that noise blurs.

    A point (x1, x2) gets label 1 when x2 + noise * N(0, 1) lies above the curve
    x2 = 0.35 sin(3 x1) - 0.1, and 0 otherwise: far from the curve labels are
    reliable, near it they are often "wrong".  Train and test sets come from the
    same distribution.  Uses its own generator (`seed`), so numpy's global RNG
    is untouched.
    Returns train_X (2, n_train), train_Y (1, n_train), test_X (2, n_test), test_Y (1, n_test).
    """
    rng = np.random.default_rng(seed)

    def sample(m):
        X = rng.uniform(-1, 1, size=(2, m))
        height = X[1] + noise * rng.standard_normal(m)
        Y = (height > 0.35 * np.sin(3 * X[0]) - 0.1).astype(float).reshape(1, m)
        return X, Y

    train_X, train_Y = sample(n_train)
    test_X, test_Y = sample(n_test)
    return train_X, train_Y, test_X, test_Y


def _scatter(ax, X, Y):
    """Class 0 as blue circles, class 1 as red triangles."""
    for label, color, marker in ((0, "tab:blue", "o"), (1, "tab:red", "^")):
        keep = Y[0] == label
        ax.scatter(X[0, keep], X[1, keep], c=color, marker=marker, s=18,
                   edgecolors="k", linewidths=0.3, label=f"label {label}")


# Background colours of the decision regions: predicted 0, predicted 1.
REGION_COLOURS = ["#cfe0f3", "#f6d0cc"]


def _legend_below(ax, regions=False):
    """One legend under the axes (never over the points): the two classes of
    points and, with ``regions``, what the two background colours mean."""
    handles, labels = ax.get_legend_handles_labels()
    if regions:
        handles += [Patch(color=c) for c in REGION_COLOURS]
        labels += ["region predicted 0", "region predicted 1"]
    ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=8,
              frameon=False)


def plot_dataset(X, Y, title, ax=None):
    """Scatter plot of a 2-D dataset.  X: (2, m).  Y: (1, m)."""
    ax = ax or plt.gca()
    _scatter(ax, X, Y)
    ax.set(title=title, xlabel="feature x1", ylabel="feature x2")
    _legend_below(ax)
    return ax


def plot_decision_boundary(parameters, X, Y, title, ax=None, resolution=200):
    """Shades where the network predicts 1, and scatters the points (X, Y) on top.

    parameters: as for forward_propagation, with n_x = 2.  X: (2, m).  Y: (1, m).
    """
    ax = ax or plt.gca()
    pad = 0.1
    x1 = np.linspace(X[0].min() - pad, X[0].max() + pad, resolution)
    x2 = np.linspace(X[1].min() - pad, X[1].max() + pad, resolution)
    g1, g2 = np.meshgrid(x1, x2)
    grid = np.stack([g1.ravel(), g2.ravel()])             # (2, resolution**2)
    labels = predict_labels(grid, parameters).reshape(g1.shape)
    ax.contourf(g1, g2, labels, levels=[-0.5, 0.5, 1.5], colors=REGION_COLOURS)
    _scatter(ax, X, Y)
    ax.set(title=title, xlabel="feature x1", ylabel="feature x2")
    _legend_below(ax, regions=True)
    return ax
