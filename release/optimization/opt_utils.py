"""Helpers for the optimization assignment: data, a small network, plots.

Conventions (the same in the graded functions):
    X: (n_x, m) one example per column      Y: (1, m) labels 0 or 1
    W{l}: (n[l], n[l-1])                     b{l}: (n[l], 1)
    grads and optimizer state use the keys dW{l}, db{l}.
The network is [LINEAR -> RELU] * (L - 1) -> LINEAR -> SIGMOID.

Nothing here reseeds numpy's global RNG: `initialize_parameters` draws from it,
so seed it yourself (np.random.seed) before calling it.  `make_moons` uses its
own generator, so it does not disturb the global one.
"""
import matplotlib.pyplot as plt
from matplotlib.patches import Patch
import numpy as np


def make_moons(m=300, noise=0.2, seed=0):
    """Two interleaved half circles ("moons"), one per class, with Gaussian noise.

    m: number of examples (half per class).  noise: std of the noise added
    to each coordinate.  seed: seeds a private generator.
    Returns X: (2, m) and Y: (1, m) with labels 0 (upper moon) and 1 (lower moon).
    """
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0, np.pi, m)
    label = np.arange(m) % 2
    # class 0: the upper half of the unit circle; class 1: the same arc flipped
    # and shifted right and down, so the two arcs interlock.
    x = np.where(label == 0, np.cos(angle), 1 - np.cos(angle))
    y = np.where(label == 0, np.sin(angle), 0.5 - np.sin(angle))
    X = np.vstack([x, y]) + noise * rng.standard_normal((2, m))
    return X, label.reshape(1, m).astype(np.float64)


def sigmoid(z):
    """Logistic function, elementwise.  z: any shape -> same shape, in (0, 1)."""
    return 1 / (1 + np.exp(-z))


def relu(z):
    """max(0, z), elementwise.  z: any shape -> same shape."""
    return np.maximum(0, z)


def initialize_parameters(layers_dims):
    """He initialization: W{l} ~ N(0, 2 / n[l-1]), b{l} = 0.

    layers_dims: [n_x, n1, ..., nL].
    Returns {"W1": (n1, n_x), "b1": (n1, 1), ..., "WL": (nL, n[L-1]), "bL": (nL, 1)}.
    """
    parameters = {}
    for l in range(1, len(layers_dims)):
        fan_in = layers_dims[l - 1]
        parameters[f"W{l}"] = np.random.randn(layers_dims[l], fan_in) * np.sqrt(2 / fan_in)
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters


def forward_propagation(X, parameters):
    """Forward pass.  X: (n_x, m); parameters: W{l}, b{l} for l = 1..L.

    Returns AL: (1, m), the probability of label 1, and cache: the list
    [A0 = X, A1, ..., AL] of every layer's activations, A{l}: (n[l], m).
    """
    L = len(parameters) // 2
    activations = [X]
    for l in range(1, L + 1):
        Z = parameters[f"W{l}"] @ activations[-1] + parameters[f"b{l}"]
        activations.append(sigmoid(Z) if l == L else relu(Z))
    return activations[-1], activations


# sigmoid rounds to exactly 0.0 or 1.0 for |z| > ~37, and log(0) = -inf.
# compute_cost clips probabilities this far from 0 and 1 first.
PROB_CLIP = 1e-15


def compute_cost(AL, Y):
    """Mean cross-entropy over the m examples.

    AL: (1, m) probabilities.  Y: (1, m) labels 0/1.  Returns a float >= 0.
    """
    AL = np.clip(AL, PROB_CLIP, 1 - PROB_CLIP)
    return float(-np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))


def backward_propagation(Y, parameters, cache):
    """Gradients of compute_cost.  Y: (1, m); cache: from forward_propagation.

    Returns grads: dW{l}: (n[l], n[l-1]) and db{l}: (n[l], 1) for l = 1..L.
    """
    L = len(parameters) // 2
    m = Y.shape[1]
    grads = {}
    dZ = cache[L] - Y                      # sigmoid + cross-entropy: dCost/dZL * m
    for l in range(L, 0, -1):
        grads[f"dW{l}"] = dZ @ cache[l - 1].T / m
        grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True) / m
        if l > 1:                          # back through W{l}, then the ReLU
            dZ = (parameters[f"W{l}"].T @ dZ) * (cache[l - 1] > 0)
    return grads


def predict(X, parameters):
    """Labels 0/1 for the examples in X: (n_x, m).  Returns (1, m) ints."""
    AL, _ = forward_propagation(X, parameters)
    return (AL > 0.5).astype(int)


def accuracy(X, Y, parameters):
    """Fraction of the m examples of X: (n_x, m) whose label Y: (1, m) is predicted."""
    return float(np.mean(predict(X, parameters) == Y))


def plot_decision_boundary(parameters, X, Y, title, ax=None):
    """Colour the plane by the predicted label and scatter the data on top.

    parameters: a trained network.  X: (2, m); Y: (1, m).
    """
    ax = ax or plt.gca()
    x0, x1 = X[0].min() - 0.5, X[0].max() + 0.5
    y0, y1 = X[1].min() - 0.5, X[1].max() + 0.5
    xx, yy = np.meshgrid(np.linspace(x0, x1, 150), np.linspace(y0, y1, 150))
    grid = np.vstack([xx.ravel(), yy.ravel()])
    labels = predict(grid, parameters).reshape(xx.shape)
    regions = ["#f4c7a1", "#a9c8ea"]                   # predicted 0, predicted 1
    ax.contourf(xx, yy, labels, levels=[-0.5, 0.5, 1.5], colors=regions, alpha=0.8)
    for label, colour in ((0, "#c0504d"), (1, "#1f4e8c")):
        pick = Y[0] == label
        ax.scatter(X[0, pick], X[1, pick], c=colour, s=12, edgecolors="k", linewidths=0.3,
                   label=f"points with y = {label}")
    handles, names = ax.get_legend_handles_labels()
    handles += [Patch(color=c, alpha=0.8) for c in regions]
    names += ["region predicted 0", "region predicted 1"]
    ax.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=8,
              frameon=False)
    ax.set_title(title)
    ax.set_xlabel("feature x1")
    ax.set_ylabel("feature x2")


def plot_costs(histories, title, every):
    """One cost curve per optimizer.

    histories: {name: list of costs, one per `every` epochs}.
    """
    plt.figure(figsize=(7, 4))
    for name, costs in histories.items():
        plt.plot(np.arange(len(costs)) * every, costs, label=name)
    plt.title(title)
    plt.xlabel("epoch")
    plt.ylabel("training cost (mean cross-entropy)")
    plt.legend()
    plt.show()
