"""Reference answers for the `regularization` assignment.

The network is LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID:
    X: (n_x, m)  Y: (1, m) labels 0/1
    W1: (n1, n_x)  b1: (n1, 1)  W2: (n2, n1)  b2: (n2, 1)  W3: (1, n2)  b3: (1, 1)

The first block repeats the student's helpers (source/regularization/reg_utils.py)
name for name and behaviour for behaviour, so that mutants and correct variants
run against them see what a student's notebook sees.  The second block holds
the four graded functions.

Two scalings of the intermediate gradients exist in the course and both are
right: the helper `backward_propagation` returns dZ3 = dJ/dZ3 = (A3 - Y) / m,
the graded functions return dZ3 = A3 - Y (m times that) and put the 1/m into
dW and db.  Every dZ and dA of one result shares the same factor.  The graders
accept either (see graders/regularization.py).

Nothing here reseeds numpy's global RNG.
"""
import numpy as np

WEIGHTS = ("W1", "W2", "W3")


# ---------------------------------------------------------------- helpers

def sigmoid(x):
    """1 / (1 + exp(-x)), elementwise.  x: any shape -> same shape."""
    return 1 / (1 + np.exp(-x))


def relu(x):
    """max(0, x), elementwise.  x: any shape -> same shape."""
    return np.maximum(0, x)


def initialize_parameters(layer_dims):
    """He initialization from numpy's global RNG.  layer_dims: [n_x, n1, ..., nL].
    Returns {"W{l}": (n[l], n[l-1]), "b{l}": (n[l], 1)}."""
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = (np.random.randn(layer_dims[l], layer_dims[l - 1])
                               * np.sqrt(2 / layer_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters


def forward_propagation(X, parameters):
    """X: (n_x, m).  Returns A3: (1, m) and
    cache = (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)."""
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = W1 @ X + b1
    A1 = relu(Z1)
    Z2 = W2 @ A1 + b2
    A2 = relu(Z2)
    Z3 = W3 @ A2 + b3
    A3 = sigmoid(Z3)
    return A3, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)


def compute_cost(A3, Y):
    """Mean cross-entropy.  A3, Y: (1, m).  Returns a float."""
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(A3) + (1 - Y) * np.log(1 - A3)) / m)


def backward_propagation(X, Y, cache):
    """Gradients of compute_cost: dZ3 = (A3 - Y) / m (the true dJ/dZ3) scaling.
    X: (n_x, m), Y: (1, m), cache from forward_propagation.
    Returns the 11 keys dZ3, dW3, db3, dA2, dZ2, dW2, db2, dA1, dZ1, dW1, db1,
    each shaped like the array it is the gradient of."""
    m = X.shape[1]
    Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3 = cache
    dZ3 = (A3 - Y) / m
    dA2 = W3.T @ dZ3
    dZ2 = dA2 * (Z2 > 0)
    dA1 = W2.T @ dZ2
    dZ1 = dA1 * (Z1 > 0)
    return {"dZ3": dZ3, "dW3": dZ3 @ A2.T, "db3": dZ3.sum(axis=1, keepdims=True),
            "dA2": dA2, "dZ2": dZ2, "dW2": dZ2 @ A1.T, "db2": dZ2.sum(axis=1, keepdims=True),
            "dA1": dA1, "dZ1": dZ1, "dW1": dZ1 @ X.T, "db1": dZ1.sum(axis=1, keepdims=True)}


def update_parameters(parameters, grads, learning_rate):
    """p - learning_rate * dp for every parameter; returns a new dict."""
    return {k: p - learning_rate * grads["d" + k] for k, p in parameters.items()}


def predict_labels(X, parameters):
    """Labels 0/1 at threshold 0.5.  X: (n_x, m) -> (1, m) ints."""
    return (forward_propagation(X, parameters)[0] > 0.5).astype(int)


def predict(X, Y, parameters):
    """Prints and returns the accuracy (a float in [0, 1]).  X: (n_x, m), Y: (1, m)."""
    accuracy = float(np.mean(predict_labels(X, parameters) == Y))
    print(f"Accuracy: {accuracy:.3f}")
    return accuracy


# ------------------------------------------------------- graded functions

def compute_cost_with_regularization(A3, Y, parameters, lambd):
    """Cross-entropy + lambd / (2 m) * (sum W1^2 + sum W2^2 + sum W3^2).
    A3, Y: (1, m).  parameters: W1, b1, ..., b3 (biases are not regularized).
    Returns a float."""
    m = Y.shape[1]
    squares = sum(np.sum(np.square(parameters[w])) for w in WEIGHTS)
    return compute_cost(A3, Y) + lambd / (2 * m) * float(squares)


def backward_propagation_with_regularization(X, Y, cache, lambd):
    """Gradients of compute_cost_with_regularization; course scaling dZ3 = A3 - Y.
    X: (n_x, m), Y: (1, m), cache = (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3).
    Returns the 11 keys of backward_propagation; each dW gets + lambd / m * W."""
    m = X.shape[1]
    Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3 = cache
    dZ3 = A3 - Y
    dA2 = W3.T @ dZ3
    dZ2 = dA2 * (Z2 > 0)
    dA1 = W2.T @ dZ2
    dZ1 = dA1 * (Z1 > 0)
    return {"dZ3": dZ3, "dW3": (dZ3 @ A2.T + lambd * W3) / m,
            "db3": dZ3.sum(axis=1, keepdims=True) / m,
            "dA2": dA2, "dZ2": dZ2, "dW2": (dZ2 @ A1.T + lambd * W2) / m,
            "db2": dZ2.sum(axis=1, keepdims=True) / m,
            "dA1": dA1, "dZ1": dZ1, "dW1": (dZ1 @ X.T + lambd * W1) / m,
            "db1": dZ1.sum(axis=1, keepdims=True) / m}


def forward_propagation_with_masks(X, parameters, D1, D2, keep_prob):
    """The dropout forward pass under given masks (deterministic).
    D1: (n1, m), D2: (n2, m), entries 0/1 (any dtype); keep_prob in (0, 1].
    Returns A3: (1, m) and
    cache = (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)."""
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = W1 @ X + b1
    A1 = relu(Z1) * D1 / keep_prob
    Z2 = W2 @ A1 + b2
    A2 = relu(Z2) * D2 / keep_prob
    Z3 = W3 @ A2 + b3
    A3 = sigmoid(Z3)
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    """Inverted dropout on both hidden layers, masks from numpy's global RNG.
    X: (n_x, m).  Returns A3: (1, m) and
    cache = (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3),
    D1: (n1, m) and D2: (n2, m) boolean masks, True with probability keep_prob."""
    m = X.shape[1]
    D1 = np.random.rand(parameters["W1"].shape[0], m) < keep_prob
    D2 = np.random.rand(parameters["W2"].shape[0], m) < keep_prob
    return forward_propagation_with_masks(X, parameters, D1, D2, keep_prob)


def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    """Gradients of compute_cost under the cached masks; course scaling dZ3 = A3 - Y.
    X: (n_x, m), Y: (1, m), cache from forward_propagation_with_dropout.
    Returns the 11 keys; dA2 and dA1 carry the mask and the 1 / keep_prob."""
    m = X.shape[1]
    Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3 = cache
    dZ3 = A3 - Y
    dA2 = (W3.T @ dZ3) * D2 / keep_prob
    dZ2 = dA2 * (Z2 > 0)
    dA1 = (W2.T @ dZ2) * D1 / keep_prob
    dZ1 = dA1 * (Z1 > 0)
    return {"dZ3": dZ3, "dW3": dZ3 @ A2.T / m, "db3": dZ3.sum(axis=1, keepdims=True) / m,
            "dA2": dA2, "dZ2": dZ2, "dW2": dZ2 @ A1.T / m,
            "db2": dZ2.sum(axis=1, keepdims=True) / m,
            "dA1": dA1, "dZ1": dZ1, "dW1": dZ1 @ X.T / m,
            "db1": dZ1.sum(axis=1, keepdims=True) / m}
