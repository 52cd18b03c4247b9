"""Reference answers for the `gradient_checking` assignment.

Shapes (the notebook's network is LAYER_DIMS = (4, 5, 3, 1)):
    X: (n_x, m), Y: (1, m) with labels in {0, 1}
    W[l]: (n[l], n[l-1]), b[l]: (n[l], 1), float64
    theta (flattened parameters): (n_params, 1), order W1, b1, W2, b2, W3, b3,
    each array flattened row by row (numpy's C order).

The helpers (relu, sigmoid and the dictionary <-> vector conversions) are the
ones gc_utils.py gives students; tests/test_gradient_checking.py checks the two
copies agree.  They are in this module's namespace (relu and sigmoid imported
from the regularization reference, whose network and cost forward_propagation_n
reuses) so that it stands alone (the kit is installed without source/) and a
variant graded in this namespace finds them, as a notebook does after
``from gc_utils import ...``.

The gradient checkers use the course's recipe with the caller's ``epsilon``:
centred differences through ``numerics.numerical_gradient`` (one entry at a
time, restored exactly), then the relative difference
``||grad - gradapprox||_2 / (||grad||_2 + ||gradapprox||_2)``.
"""
import numpy as np

from autograder.numerics import numerical_gradient
# The same network and cost as the regularization assignment's helpers.
from autograder.reference.regularization import compute_cost as _cross_entropy
from autograder.reference.regularization import forward_propagation as _network
from autograder.reference.regularization import relu, sigmoid  # noqa: F401 - gc_utils gives them

# The notebook's network: 4 input features, hidden layers of 5 and 3 units, 1 output.
LAYER_DIMS = (4, 5, 3, 1)

# Above this relative difference the course says the backward pass has a mistake.
COURSE_THRESHOLD = 2e-7


# --- helpers (same behaviour as gc_utils.py) ---------------------------------

def dictionary_to_vector(parameters):
    """{"W1", "b1", ..., "WL", "bL"} -> (theta, keys).

    The number of layers and every shape come from the dict itself.
    theta: (n_params, 1), the arrays flattened in the order W1, b1, ..., WL, bL.
    keys: list of n_params names, keys[i] is the parameter theta[i] comes from.
    """
    L = sum(1 for k in parameters if k.startswith("W"))
    names = [f"{p}{l}" for l in range(1, L + 1) for p in "Wb"]
    pieces = [np.reshape(parameters[k], (-1, 1)) for k in names]
    keys = [k for k, piece in zip(names, pieces) for _ in range(piece.shape[0])]
    return np.concatenate(pieces, axis=0).astype(np.float64), keys


def vector_to_dictionary(theta, layer_dims=LAYER_DIMS):
    """theta (n_params, 1) -> {"W1": (n1, n0), "b1": (n1, 1), ...}, copies.

    A flat vector carries no shapes: they come from ``layer_dims``
    ([n0, n1, ..., nL]), by default the notebook's network LAYER_DIMS.
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
    """{"dW1", "db1", ..., "dWL", "dbL", ...} -> (n_params, 1), same order as
    dictionary_to_vector; other keys (dZ1, dA1, ...) are ignored."""
    L = sum(1 for k in gradients if k.startswith("dW"))
    names = [f"d{p}{l}" for l in range(1, L + 1) for p in "Wb"]
    return np.concatenate([np.reshape(gradients[k], (-1, 1)) for k in names],
                          axis=0).astype(np.float64)


# --- 1-D: J(theta) = theta * x ------------------------------------------------

def forward_propagation(x, theta):
    """J = theta * x.  x, theta: real numbers.  Returns a number."""
    return theta * x


def backward_propagation(x, theta):
    """dJ/dtheta of J = theta * x, which is x.  Returns a number."""
    return x


def _relative_difference(grad, gradapprox):
    """||grad - gradapprox|| / (||grad|| + ||gradapprox||), 2-norms; any shapes
    (same size).  Returns a float."""
    grad = np.ravel(np.asarray(grad, dtype=np.float64))
    gradapprox = np.ravel(np.asarray(gradapprox, dtype=np.float64))
    numerator = np.linalg.norm(grad - gradapprox)
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    return float(numerator / denominator)


def _report(difference, print_msg):
    if print_msg:
        if difference > COURSE_THRESHOLD:
            print(f"There is a mistake in the backward propagation! difference = {difference}")
        else:
            print(f"Your backward propagation works perfectly fine! difference = {difference}")


def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    """Compare backward_propagation(x, theta) with a centred difference of
    forward_propagation (the names this module's globals hold at call time).

    x, theta: real numbers.  epsilon: the step.  Returns the relative
    difference (a float); prints a verdict when ``print_msg``.
    """
    theta_arr = np.array([float(theta)])
    gradapprox = numerical_gradient(lambda: forward_propagation(x, theta_arr[0]), theta_arr,
                                    h=epsilon)
    grad = backward_propagation(x, theta)
    difference = _relative_difference(grad, gradapprox)
    _report(difference, print_msg)
    return difference


# --- N-D: the 3-layer network -------------------------------------------------

def forward_propagation_n(X, Y, parameters):
    """LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID, mean cross-entropy.

    X: (n0, m), Y: (1, m), parameters: W1 (n1, n0), b1 (n1, 1), W2 (n2, n1),
    b2 (n2, 1), W3 (1, n2), b3 (1, 1).
    Returns (cost, cache): cost a float,
    cache = (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3), Z[l], A[l]: (n[l], m).
    """
    A3, cache = _network(X, parameters)
    return _cross_entropy(A3, Y), cache


def backward_propagation_n(X, Y, cache):
    """Gradients of forward_propagation_n's cost.

    X: (n0, m), Y: (1, m), cache as forward_propagation_n returns it.
    Returns {"dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1",
    "dW1", "db1"}, each of the shape of the array it is the gradient of.
    """
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = dZ3 @ A2.T / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = W3.T @ dZ3
    dZ2 = dA2 * (A2 > 0)
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = W2.T @ dZ2
    dZ1 = dA1 * (A1 > 0)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3,
            "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    """Compare ``gradients`` with centred differences of forward_propagation_n's
    cost, one parameter entry at a time.

    parameters: W1..b3 (shapes as in forward_propagation_n); gradients: at
    least dW1..db3 of the same shapes; X: (n0, m), Y: (1, m).
    Returns the relative difference over all parameters (a float).
    """
    theta, _ = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)

    def cost():
        return forward_propagation_n(X, Y, vector_to_dictionary(theta))[0]

    gradapprox = numerical_gradient(cost, theta, h=epsilon)
    difference = _relative_difference(grad, gradapprox)
    _report(difference, print_msg)
    return difference
