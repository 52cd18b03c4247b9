"""Helpers for the initialization notebook: data, a 3-layer network, plots.

Shapes: X is (n_x, m), one example per column; Y is (1, m) with labels 0/1;
W[l] is (n[l], n[l-1]) and b[l] is (n[l], 1).  The network is
LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID.
"""
import matplotlib.pyplot as plt
from matplotlib.patches import Patch
import numpy as np

# Probabilities are clipped to [PROB_FLOOR, 1 - PROB_FLOOR] inside the cost
# only: a saturated sigmoid (a3 exactly 0 or 1, as with huge weights) then
# costs about 27.6 per example instead of inf.
PROB_FLOOR = 1e-12


def sigmoid(z):
    """Elementwise 1 / (1 + e^-z).  z: any shape; returns the same shape."""
    return np.exp(-np.logaddexp(0, -z))   # = 1 / (1 + e^-z), no overflow for huge |z|


def relu(z):
    """Elementwise max(0, z).  z: any shape; returns the same shape."""
    return np.maximum(0, z)


def load_dataset(m_train=300, m_test=100, inner=0.8, noise=0.05, seed=1):
    """Two noisy concentric circles in the plane: radius 1 (label 0) and
    ``inner`` (label 1), each point moved by Gaussian noise of std ``noise``.

    Uses its own random generator, so it leaves numpy's global RNG alone.
    Returns train_X: (2, m_train), train_Y: (1, m_train),
            test_X: (2, m_test), test_Y: (1, m_test).
    """
    rng = np.random.default_rng(seed)

    def circles(m):
        y = np.arange(m) % 2                      # half inner (1), half outer (0)
        radius = np.where(y == 1, inner, 1.0)
        angle = rng.uniform(0, 2 * np.pi, m)
        X = radius * np.stack([np.cos(angle), np.sin(angle)])
        X = X + noise * rng.standard_normal(X.shape)
        order = rng.permutation(m)
        return X[:, order], y[order].reshape(1, m).astype(float)

    train_X, train_Y = circles(m_train)
    test_X, test_Y = circles(m_test)
    return train_X, train_Y, test_X, test_Y


def forward_propagation(X, parameters):
    """Forward pass of the 3-layer network.

    X: (n_x, m).  parameters: W1 (n1, n_x), b1 (n1, 1), W2 (n2, n1), b2 (n2, 1),
    W3 (1, n2), b3 (1, 1).
    Returns a3: (1, m) probabilities, and
    cache = (z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3) for the backward pass.
    """
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    z1 = W1 @ X + b1
    a1 = relu(z1)
    z2 = W2 @ a1 + b2
    a2 = relu(z2)
    z3 = W3 @ a2 + b3
    a3 = sigmoid(z3)
    return a3, (z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3)


def compute_loss(a3, Y):
    """Mean cross-entropy.  a3: (1, m) probabilities; Y: (1, m) labels.  Returns a float."""
    p = np.clip(a3, PROB_FLOOR, 1 - PROB_FLOOR)
    return float(-np.mean(Y * np.log(p) + (1 - Y) * np.log(1 - p)))


def backward_propagation(X, Y, cache):
    """Gradients of compute_loss through the network.

    X: (n_x, m); Y: (1, m); cache from forward_propagation.
    Returns a dict with "dz3", "dW3", "db3", "da2", "dz2", "dW2", "db2",
    "da1", "dz1", "dW1", "db1", each shaped like what it is the gradient of.
    """
    m = X.shape[1]
    (z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3) = cache
    dz3 = (a3 - Y) / m                 # sigmoid + cross-entropy, averaged over m
    dW3 = dz3 @ a2.T
    db3 = dz3.sum(axis=1, keepdims=True)
    da2 = W3.T @ dz3
    dz2 = da2 * (z2 > 0)               # ReLU passes the gradient where z > 0
    dW2 = dz2 @ a1.T
    db2 = dz2.sum(axis=1, keepdims=True)
    da1 = W2.T @ dz2
    dz1 = da1 * (z1 > 0)
    dW1 = dz1 @ X.T
    db1 = dz1.sum(axis=1, keepdims=True)
    return {"dz3": dz3, "dW3": dW3, "db3": db3, "da2": da2, "dz2": dz2, "dW2": dW2,
            "db2": db2, "da1": da1, "dz1": dz1, "dW1": dW1, "db1": db1}


def update_parameters(parameters, grads, learning_rate):
    """One gradient-descent step: p <- p - learning_rate * dp for every W and b.

    parameters: {"W1", "b1", ...}; grads: {"dW1", "db1", ...} of the same shapes.
    Returns a new dict (the input is left unchanged).
    """
    return {key: value - learning_rate * grads["d" + key] for key, value in parameters.items()}


def predict(X, parameters):
    """Labels 0/1 predicted for X: (n_x, m).  Returns a (1, m) int array."""
    a3, _ = forward_propagation(X, parameters)
    return (a3 > 0.5).astype(int)


def accuracy(predictions, Y):
    """Fraction of predictions (1, m) equal to the labels Y (1, m)."""
    return float(np.mean(predictions == Y))


def plot_decision_boundary(parameters, X, Y, title, ax=None):
    """Colour the plane by the network's prediction and draw the points.

    parameters: the 3-layer network's weights; X: (2, m); Y: (1, m).
    """
    ax = ax or plt.gca()
    pad = 0.3
    x1 = np.linspace(X[0].min() - pad, X[0].max() + pad, 300)
    x2 = np.linspace(X[1].min() - pad, X[1].max() + pad, 300)
    g1, g2 = np.meshgrid(x1, x2)
    grid = np.stack([g1.ravel(), g2.ravel()])                    # (2, 90000)
    labels = predict(grid, parameters).reshape(g1.shape)
    regions = ["#f4c7a1", "#a9c8e8"]                   # predicted 0, predicted 1
    ax.contourf(g1, g2, labels, levels=[-0.5, 0.5, 1.5], colors=regions)
    for label, colour, name in ((0, "#c0504d", "outer circle (y = 0)"),
                                (1, "#1f4e8c", "inner circle (y = 1)")):
        pick = Y[0] == label
        ax.scatter(X[0, pick], X[1, pick], s=12, c=colour, label=name)
    handles, names = ax.get_legend_handles_labels()
    handles += [Patch(color=c) for c in regions]
    names += ["region predicted 0", "region predicted 1"]
    ax.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=8,
              frameon=False)
    ax.set_title(title)
    ax.set_xlabel("feature $x_1$")
    ax.set_ylabel("feature $x_2$")
    ax.set_aspect("equal")


def deep_relu_stds(parameters, X, dA_top):
    """Spread of activations and gradients, layer by layer, in a deep ReLU net.

    parameters: W1, b1, ..., WL, bL with W[l]: (n[l], n[l-1]); every layer is
    LINEAR -> RELU.  X: (n0, m) inputs.  dA_top: (nL, m), the gradient arriving
    at the last layer's output (a stand-in for what a loss would send back).
    Returns three lists of L floats, for l = 1..L: the standard deviation of
    a[l] (forward), of da[l] (the gradient sent back to layer l's output) and
    of dW[l].
    """
    L = len(parameters) // 2
    inputs, pre, act_std = [], [], []       # a[l-1], z[l] and std(a[l]) for l = 1..L
    A = X
    for l in range(1, L + 1):
        inputs.append(A)
        pre.append(parameters[f"W{l}"] @ A + parameters[f"b{l}"])
        A = relu(pre[-1])
        act_std.append(float(A.std()))
    dA, grad_std, dW_std = dA_top, [0.0] * L, [0.0] * L
    for l in range(L, 0, -1):
        grad_std[l - 1] = float(dA.std())
        dZ = dA * (pre[l - 1] > 0)
        dW_std[l - 1] = float((dZ @ inputs[l - 1].T / X.shape[1]).std())
        dA = parameters[f"W{l}"].T @ dZ
    return act_std, grad_std, dW_std
