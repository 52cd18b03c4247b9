"""Probes for grading gradient checkers: costs whose right answer is known.

A student's ``gradient_check`` calls ``forward_propagation`` and
``backward_propagation`` from its notebook's globals, and ``gradient_check_n``
calls ``forward_propagation_n``.  The graders rebind those names for one call
(``StudentFunction.call(..., overrides={name: source})``) to the probes below,
so a checker is graded on costs where a one-sided difference, a missing /2 or
a wrong norm shows, with backward functions known to be right or wrong.

Each probe is an ordinary function here (so the kit's tests can check it
against numerical gradients) that uses nothing but ``np``; ``source(fn, as_)``
turns it into the override source the backends run.

1-D probes: ``cost(x, theta) -> float`` and ``grad(x, theta) -> float``,
x, theta real numbers.
N-D probes: ``cost(X, Y, parameters) -> (float, None)`` and
``gradients(X, Y, parameters) -> dict`` with dW1..db3 plus the dZ/dA keys a
backward pass returns (a checker must ignore those).  X: (n0, m), Y: (1, m),
parameters W1 (n1, n0), b1 (n1, 1), W2 (n2, n1), b2 (n2, 1), W3 (1, n2),
b3 (1, 1); every shape comes from the dict the checker builds.

A checker may compute the cost itself instead of calling the notebook's
function (its own forward pass): the probes never reach it.  ``sentinel(name)``
is an override that raises ``SENTINEL``, so one call tells whether a checker
calls ``name``; a checker that does not is graded on the real cost instead
(``REAL_NET``, and for the 1-D checker the cases in ``cases_1d``), where its
own forward pass computes what the probe would, with right and wrong backward
passes against the reference's verdict and value.
"""
import ast
import inspect
import textwrap
from dataclasses import dataclass
from typing import Callable

import numpy as np

from autograder.reference import gradient_checking as reference


def source(fn, as_name):
    """Override source defining ``as_name`` as the self-contained function ``fn``.

    The probe arrives under the name it replaces, with no docstring and no
    comments: a student's checker runs in the same process and could read a
    probe's ``__name__`` or text ("cube_grad_sign", "# wrong: ...") to answer
    without checking anything."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    function = tree.body[0]
    function.name = as_name
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        function.body = body[1:] or [ast.Pass()]
    return ast.unparse(tree) + "\n"


# --- 1-D probes ----------------------------------------------------------------

def linear_cost(x, theta):
    return theta * x


def linear_grad(x, theta):
    return x


def linear_grad_wrt_x(x, theta):          # wrong: derivative in the other variable
    return theta


def linear_grad_twice(x, theta):         # wrong: twice the derivative
    return 2 * x


def linear_grad_sign(x, theta):          # wrong: sign flipped (same norm)
    return -x


def cube_cost(x, theta):
    return x * theta ** 3


def cube_grad(x, theta):
    return 3 * x * theta ** 2


def cube_grad_no_factor(x, theta):        # wrong: power rule without the 3
    return x * theta ** 2


def cube_grad_sign(x, theta):             # wrong: sign flipped (same norm)
    return -3 * x * theta ** 2


def expsin_cost(x, theta):
    return np.exp(np.sin(x * theta))


def expsin_grad(x, theta):
    return x * np.cos(x * theta) * np.exp(np.sin(x * theta))


def expsin_grad_no_chain(x, theta):       # wrong: chain rule without the inner x
    return np.cos(x * theta) * np.exp(np.sin(x * theta))


@dataclass(frozen=True)
class Case1D:
    label: str            # how a message names the probe
    cost: Callable
    grad: Callable        # the backward function the checker is given
    right_grad: Callable  # the true derivative of cost

    @property
    def right(self):
        return self.grad is self.right_grad


# Right backward functions: a checker must call them right (difference ~1e-9).
RIGHT_1D = (
    Case1D("J = theta * x (the notebook's cost)", linear_cost, linear_grad, linear_grad),
    Case1D("J = x * theta**3", cube_cost, cube_grad, cube_grad),
    Case1D("J = exp(sin(x * theta))", expsin_cost, expsin_grad, expsin_grad),
)
# Curved costs for the centred-difference check at a large epsilon.
CURVED_1D = RIGHT_1D[1:]
# Wrong backward functions: the difference is O(0.1..1), fixed by the formula.
WRONG_1D = (
    Case1D("J = theta * x with dJ/dtheta = theta", linear_cost, linear_grad_wrt_x, linear_grad),
    Case1D("J = x * theta**3 with dJ/dtheta = x * theta**2", cube_cost, cube_grad_no_factor, cube_grad),
    Case1D("J = x * theta**3 with dJ/dtheta = -3 x theta**2 (sign flipped)",
           cube_cost, cube_grad_sign, cube_grad),
    Case1D("J = exp(sin(x theta)) with dJ/dtheta missing the inner x", expsin_cost,
           expsin_grad_no_chain, expsin_grad),
)


def overrides_1d(case):
    return {"forward_propagation": source(case.cost, "forward_propagation"),
            "backward_propagation": source(case.grad, "backward_propagation")}


# --- checkers that compute the cost (or the derivative) themselves ---------------

SENTINEL = "dlkit grader probe reached"


def sentinel(name):
    """Override source defining ``name`` as a function that raises SENTINEL
    (a LookupError, which no checker has a reason to catch)."""
    return (f"def {name}(*args, **kwargs):\n"
            f"    raise LookupError({SENTINEL!r})\n")


# The 1-D checker calls forward_propagation and backward_propagation; for each
# (calls forward, calls backward) the cases it can be graded on, as
# (right, curved, wrong).  Its own forward pass computes J = theta * x: the
# backward functions vary.  Its own derivative is x: the costs vary, so that
# x is right for one and wrong for the others.
_OWN_FORWARD_WRONG = (
    WRONG_1D[0],
    Case1D("J = theta * x with dJ/dtheta = 2 x", linear_cost, linear_grad_twice, linear_grad),
    Case1D("J = theta * x with dJ/dtheta = -x (sign flipped)", linear_cost, linear_grad_sign,
           linear_grad),
)
_OWN_DERIVATIVE_WRONG = (
    Case1D("J = x * theta**3, with your checker's own dJ/dtheta = x", cube_cost, linear_grad,
           cube_grad),
    Case1D("J = exp(sin(x * theta)), with your checker's own dJ/dtheta = x", expsin_cost,
           linear_grad, expsin_grad),
)
CASES_1D = {
    (True, True): (RIGHT_1D, CURVED_1D, WRONG_1D),
    (False, True): (RIGHT_1D[:1], (), _OWN_FORWARD_WRONG),
    (True, False): (RIGHT_1D[:1], (), _OWN_DERIVATIVE_WRONG),
}


# --- N-D probes ----------------------------------------------------------------

def tanh_net_cost(X, Y, parameters):
    """tanh -> tanh -> sigmoid network, mean cross-entropy: smooth everywhere."""
    A1 = np.tanh(parameters["W1"] @ X + parameters["b1"])
    A2 = np.tanh(parameters["W2"] @ A1 + parameters["b2"])
    Z3 = parameters["W3"] @ A2 + parameters["b3"]
    # log(sigmoid(z)) = -logaddexp(0, -z); log(1 - sigmoid(z)) = -logaddexp(0, z)
    cost = np.sum(Y * np.logaddexp(0, -Z3) + (1 - Y) * np.logaddexp(0, Z3)) / X.shape[1]
    return float(cost), None


def tanh_net_gradients(X, Y, parameters):
    m = X.shape[1]
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    A1 = np.tanh(W1 @ X + b1)
    A2 = np.tanh(W2 @ A1 + b2)
    A3 = 1 / (1 + np.exp(-(W3 @ A2 + b3)))
    dZ3 = A3 - Y
    dA2 = W3.T @ dZ3
    dZ2 = dA2 * (1 - A2 ** 2)
    dA1 = W2.T @ dZ2
    dZ1 = dA1 * (1 - A1 ** 2)
    return {"dZ3": dZ3, "dW3": dZ3 @ A2.T / m, "db3": dZ3.sum(axis=1, keepdims=True) / m,
            "dA2": dA2, "dZ2": dZ2, "dW2": dZ2 @ A1.T / m,
            "db2": dZ2.sum(axis=1, keepdims=True) / m,
            "dA1": dA1, "dZ1": dZ1, "dW1": dZ1 @ X.T / m,
            "db1": dZ1.sum(axis=1, keepdims=True) / m}


def sincube_cost(X, Y, parameters):
    """sum_l sum(sin(l W[l])) + sum_l sum(b[l]**3 / l): every entry its own
    curvature and a weight per layer (so entries in the wrong place show)."""
    L = sum(1 for k in parameters if k.startswith("W"))
    cost = 0.0
    for l in range(1, L + 1):
        cost += np.sum(np.sin(l * parameters[f"W{l}"])) + np.sum(parameters[f"b{l}"] ** 3) / l
    return float(cost), None


def sincube_gradients(X, Y, parameters):
    L = sum(1 for k in parameters if k.startswith("W"))
    m = X.shape[1]
    grads = {}
    for l in range(L, 0, -1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        # dZ/dA entries are not gradients of this cost; a checker ignores them.
        grads[f"dZ{l}"] = np.zeros((W.shape[0], m))
        grads[f"dW{l}"] = l * np.cos(l * W)
        grads[f"db{l}"] = 3 * b ** 2 / l
        if l > 1:
            grads[f"dA{l - 1}"] = np.zeros((W.shape[1], m))
    return grads


@dataclass(frozen=True)
class ProbeND:
    label: str
    cost: Callable
    gradients: Callable


def relu_net_cost(X, Y, parameters):
    """The notebook's LINEAR->RELU->LINEAR->RELU->LINEAR->SIGMOID network's mean
    cross-entropy (reference.forward_propagation_n's cost, self-contained)."""
    A1 = np.maximum(0, parameters["W1"] @ X + parameters["b1"])
    A2 = np.maximum(0, parameters["W2"] @ A1 + parameters["b2"])
    Z3 = parameters["W3"] @ A2 + parameters["b3"]
    cost = np.sum(Y * np.logaddexp(0, -Z3) + (1 - Y) * np.logaddexp(0, Z3)) / X.shape[1]
    return float(cost), None


def relu_net_gradients(X, Y, parameters):
    return reference.backward_propagation_n(X, Y, reference.forward_propagation_n(X, Y, parameters)[1])


TANH_NET = ProbeND("a tanh/tanh/sigmoid network's cross-entropy", tanh_net_cost,
                   tanh_net_gradients)
SINCUBE = ProbeND("J = sum_l sum(sin(l W[l])) + sum(b[l]**3 / l)", sincube_cost,
                  sincube_gradients)
PROBES_ND = (TANH_NET, SINCUBE)
# For a checker that computes the cost with its own forward pass.
REAL_NET = ProbeND("the notebook's network (your checker's own forward pass)", relu_net_cost,
                   relu_net_gradients)


# Wrong gradients: (label, function of a right gradients dict -> a wrong one).
def _scale(key, factor):
    def wrong(grads):
        out = {k: v.copy() for k, v in grads.items()}
        out[key] = out[key] * factor
        return out
    return wrong


def _all_signs(grads):
    return {k: -v for k, v in grads.items()}


def _dW1_rows_swapped(grads):
    out = {k: v.copy() for k, v in grads.items()}
    out["dW1"] = out["dW1"][::-1].copy()
    return out


WRONG_GRADIENTS = (
    ("dW2 twice too large", _scale("dW2", 2.0)),
    ("db3 three times too large", _scale("db3", 3.0)),
    ("every gradient with the wrong sign (same norm)", _all_signs),
    ("dW1's rows in reverse order (same norm)", _dW1_rows_swapped),
)


def _helper_source(fn):
    text = textwrap.dedent(inspect.getsource(fn))
    return f"LAYER_DIMS = {tuple(reference.LAYER_DIMS)}\n\n{text}"


# Trusted versions of the gc_utils helpers the student's gradient_check_n calls
# (the notebook's network, reference.LAYER_DIMS): the grade does not depend on
# a gc_utils.py the student may have edited.
TRUSTED_HELPERS = {fn.__name__: _helper_source(fn)
                   for fn in (reference.dictionary_to_vector, reference.vector_to_dictionary,
                              reference.gradients_to_vector)}


def overrides_nd(probe):
    return {"forward_propagation_n": source(probe.cost, "forward_propagation_n"),
            **TRUSTED_HELPERS}


SENTINEL_ND = {"forward_propagation_n": sentinel("forward_propagation_n"), **TRUSTED_HELPERS}
