"""Variants of the `regularization` graded functions.

Wrong ones are slips we expect from students; right ones are correct answers
written another way (they must keep full marks).  Sources run beside the
reference's helpers (np, relu, sigmoid, compute_cost, forward_propagation,
backward_propagation...), as a student's notebook would have them from reg_utils.

Decisions taken here (the brief left them open):
- Masking Z before the ReLU, A1 = relu(Z1 * D1 / keep_prob), gives the same A1
  as relu(Z1) * D1 / keep_prob, because the mask and 1 / keep_prob are >= 0 and
  relu(c z) = c relu(z) for c >= 0.  With Z1 = W1 X + b1 kept in the cache it
  is RIGHT.  Overwriting the cached Z1 with the masked value is WRONG: the
  cache documents Z1 as the linear output W1 X + b1, and that entry is then
  another number.
- dZ3 = A3 - Y (course) and dZ3 = (A3 - Y) / m (reg_utils, the true dJ/dZ3)
  are both right as long as dW and db come out right.
"""
from autograder.variants import right, wrong

COST = "compute_cost_with_regularization"
L2B = "backward_propagation_with_regularization"
FWD = "forward_propagation_with_dropout"
BWD = "backward_propagation_with_dropout"

# ---------------------------------------------------------------- L2 cost

_COST_WRONG = [
    ("lambd * (1 / 2 * m) instead of lambd / (2 m)", "100 times it", """
        def compute_cost_with_regularization(A3, Y, parameters, lambd):
            m = Y.shape[1]
            W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
            L2 = lambd * (1 / 2 * m) * (np.sum(np.square(W1)) + np.sum(np.square(W2)) + np.sum(np.square(W3)))
            return compute_cost(A3, Y) + L2
        """),
    ("W2 summed twice and W3 never", "part from W3 is missing", """
        def compute_cost_with_regularization(A3, Y, parameters, lambd):
            m = Y.shape[1]
            W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
            L2 = lambd / (2 * m) * (np.sum(np.square(W1)) + np.sum(np.square(W2)) + np.sum(np.square(W2)))
            return compute_cost(A3, Y) + L2
        """),
    ("L2 term without 1/m", "10 times it", """
        def compute_cost_with_regularization(A3, Y, parameters, lambd):
            W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
            L2 = lambd / 2 * (np.sum(np.square(W1)) + np.sum(np.square(W2)) + np.sum(np.square(W3)))
            return compute_cost(A3, Y) + L2
        """),
    ("np.sum(W) instead of the sum of squares", "L2 term", """
        def compute_cost_with_regularization(A3, Y, parameters, lambd):
            m = Y.shape[1]
            W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
            L2 = lambd / (2 * m) * (np.sum(W1) + np.sum(W2) + np.sum(W3))
            return compute_cost(A3, Y) + L2
        """),
    ("a norm instead of the squared norm", "L2 term", """
        def compute_cost_with_regularization(A3, Y, parameters, lambd):
            m = Y.shape[1]
            norms = sum(np.linalg.norm(parameters[k]) for k in ("W1", "W2", "W3"))
            return compute_cost(A3, Y) + lambd / (2 * m) * norms
        """),
    ("the biases regularized too", "biases", """
        def compute_cost_with_regularization(A3, Y, parameters, lambd):
            m = Y.shape[1]
            squares = sum(np.sum(p ** 2) for p in parameters.values())
            return compute_cost(A3, Y) + lambd / (2 * m) * squares
        """),
    ("lambd / m, the 1/2 forgotten", "2 times it", """
        def compute_cost_with_regularization(A3, Y, parameters, lambd):
            m = Y.shape[1]
            W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
            return compute_cost(A3, Y) + lambd / m * (np.sum(W1 * W1) + np.sum(W2 * W2) + np.sum(W3 * W3))
        """),
    ("m read from Y.shape[0] (always 1)", "10 times it", """
        def compute_cost_with_regularization(A3, Y, parameters, lambd):
            m = Y.shape[0]
            W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
            L2 = lambd / (2 * m) * (np.sum(np.square(W1)) + np.sum(np.square(W2)) + np.sum(np.square(W3)))
            return compute_cost(A3, Y) + L2
        """),
    ("cross-entropy without the (1 - Y) term", "cross-entropy", """
        def compute_cost_with_regularization(A3, Y, parameters, lambd):
            m = Y.shape[1]
            cross = -np.sum(Y * np.log(A3)) / m
            squares = sum(np.sum(np.square(parameters[k])) for k in ("W1", "W2", "W3"))
            return cross + lambd / (2 * m) * squares
        """),
    ("squares the weights in place (W **= 2)", "in place", """
        def compute_cost_with_regularization(A3, Y, parameters, lambd):
            m = Y.shape[1]
            total = 0.0
            for k in ("W1", "W2", "W3"):
                W = parameters[k]
                W **= 2
                total += np.sum(W)
            return compute_cost(A3, Y) + lambd / (2 * m) * total
        """),
    ("mean of the squares instead of their sum", "L2 term", """
        def compute_cost_with_regularization(A3, Y, parameters, lambd):
            m = Y.shape[1]
            squares = np.mean(parameters["W1"] ** 2) + np.mean(parameters["W2"] ** 2) + np.mean(parameters["W3"] ** 2)
            return compute_cost(A3, Y) + lambd / (2 * m) * squares
        """),
    ("returns [cost], a list", "expected a number", """
        def compute_cost_with_regularization(A3, Y, parameters, lambd):
            m = Y.shape[1]
            squares = sum(np.sum(np.square(parameters[k])) for k in ("W1", "W2", "W3"))
            return [compute_cost(A3, Y) + lambd / (2 * m) * squares]
        """),
]

_COST_RIGHT = [
    # Another precision or order: within the graders' VALUE_RTOL (issue 8).
    ("L2 sum accumulated in float32, np.mean cross-entropy", """
        def compute_cost_with_regularization(A3, Y, parameters, lambd):
            m = Y.shape[1]
            cross_entropy = -np.mean(Y * np.log(A3) + (1 - Y) * np.log(1 - A3))
            squares = sum(np.sum(np.square(parameters[k]), dtype=np.float32) for k in ("W3", "W2", "W1"))
            return cross_entropy + lambd / (2 * m) * float(squares)
        """),
    ("np.square and np.sum, term by term", """
        def compute_cost_with_regularization(A3, Y, parameters, lambd):
            m = Y.shape[1]
            W1 = parameters["W1"]
            W2 = parameters["W2"]
            W3 = parameters["W3"]
            cross_entropy_cost = compute_cost(A3, Y)
            L2_regularization_cost = (1 / m) * (lambd / 2) * (np.sum(np.square(W1)) + np.sum(np.square(W2)) + np.sum(np.square(W3)))
            return cross_entropy_cost + L2_regularization_cost
        """),
    ("(W ** 2).sum() and np.dot cross-entropy giving a (1, 1) array", """
        def compute_cost_with_regularization(A3, Y, parameters, lambd):
            m = Y.shape[1]
            cross = -(np.dot(Y, np.log(A3).T) + np.dot(1 - Y, np.log(1 - A3).T)) / m
            l2 = (parameters["W1"] ** 2).sum() + (parameters["W2"] ** 2).sum() + (parameters["W3"] ** 2).sum()
            return cross + lambd * l2 / (2 * m)
        """),
    ("einsum", """
        def compute_cost_with_regularization(A3, Y, parameters, lambd):
            m = Y.shape[1]
            sq = sum(np.einsum("ij,ij->", W, W) for W in (parameters["W1"], parameters["W2"], parameters["W3"]))
            return np.float64(compute_cost(A3, Y) + lambd / (2 * m) * sq)
        """),
    ("loop over the layers, squared Frobenius norm, np.nansum", """
        def compute_cost_with_regularization(A3, Y, parameters, lambd):
            m = Y.shape[1]
            logprobs = np.multiply(-np.log(A3), Y) + np.multiply(-np.log(1 - A3), 1 - Y)
            cost = 1. / m * np.nansum(logprobs)
            reg = 0
            for l in range(1, 4):
                reg += np.linalg.norm(parameters["W" + str(l)], "fro") ** 2
            return cost + lambd / (2 * m) * reg
        """),
]

# ------------------------------------------------------------ L2 backward

_L2B_TEMPLATE = """
def backward_propagation_with_regularization(X, Y, cache, lambd):
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1. / m * np.dot(dZ3, A2.T) + {reg3}
    db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=True){breg3}
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = np.multiply(dA2, np.int64({relu2}))
    dW2 = 1. / m * np.dot(dZ2, A1.T) + {reg2}
    db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1. / m * np.dot(dZ1, X.T) + {reg1}
    db1 = 1. / m * np.sum(dZ1, axis=1, keepdims=True)
    return {{"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}}
"""


def _l2b(reg3="lambd / m * W3", reg2="lambd / m * W2", reg1="lambd / m * W1",
         breg3="", relu2="A2 > 0"):
    """The course-style backward with one slot changed."""
    return _L2B_TEMPLATE.format(reg3=reg3, reg2=reg2, reg1=reg1, breg3=breg3, relu2=relu2)


_L2B_WRONG = [
    ("2 * lambd / m (differentiated the cost's 1/2 away twice)", "dW",
     _l2b("2 * lambd / m * W3", "2 * lambd / m * W2", "2 * lambd / m * W1")),
    ("lambd / (2 m) copied from the cost", "dW",
     _l2b("lambd / (2 * m) * W3", "lambd / (2 * m) * W2", "lambd / (2 * m) * W1")),
    ("lambd forgotten in dW1", "dW1", _l2b(reg1="0")),
    ("L2 term without 1/m", "dW", _l2b("lambd * W3", "lambd * W2", "lambd * W1")),
    ("db3 regularized too", "db3", _l2b(breg3=" + lambd / m * b3")),
    ("dW2 regularized with W1 (copy-paste, same shape on a square net)", "dW2",
     _l2b(reg2="lambd / m * W1")),
    ("L2 term subtracted", "dW", _l2b("-lambd / m * W3", "-lambd / m * W2", "-lambd / m * W1")),
    ("ReLU derivative A2 >= 0 (always 1)", "dZ2", _l2b(relu2="A2 >= 0")),
    ("1/m twice: dZ3 = (A3 - Y) / m and dW = dZ A^T / m", "dW", """
        def backward_propagation_with_regularization(X, Y, cache, lambd):
            m = X.shape[1]
            (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
            dZ3 = (A3 - Y) / m
            dW3 = dZ3 @ A2.T / m + lambd / m * W3
            db3 = dZ3.sum(axis=1, keepdims=True) / m
            dA2 = W3.T @ dZ3
            dZ2 = dA2 * (Z2 > 0)
            dW2 = dZ2 @ A1.T / m + lambd / m * W2
            db2 = dZ2.sum(axis=1, keepdims=True) / m
            dA1 = W2.T @ dZ2
            dZ1 = dA1 * (Z1 > 0)
            dW1 = dZ1 @ X.T / m + lambd / m * W1
            db1 = dZ1.sum(axis=1, keepdims=True) / m
            return dict(dZ3=dZ3, dW3=dW3, db3=db3, dA2=dA2, dZ2=dZ2, dW2=dW2, db2=db2,
                        dA1=dA1, dZ1=dZ1, dW1=dW1, db1=db1)
        """),
    ("dZ3 computed in place on the cached A3", "in place", """
        def backward_propagation_with_regularization(X, Y, cache, lambd):
            m = X.shape[1]
            (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
            dZ3 = A3
            dZ3 -= Y
            grads = {"dZ3": dZ3, "dW3": dZ3 @ A2.T / m + lambd / m * W3, "db3": np.sum(dZ3, axis=1, keepdims=True) / m}
            grads["dA2"] = W3.T @ dZ3
            grads["dZ2"] = grads["dA2"] * (Z2 > 0)
            grads["dW2"] = grads["dZ2"] @ A1.T / m + lambd / m * W2
            grads["db2"] = np.sum(grads["dZ2"], axis=1, keepdims=True) / m
            grads["dA1"] = W2.T @ grads["dZ2"]
            grads["dZ1"] = grads["dA1"] * (Z1 > 0)
            grads["dW1"] = grads["dZ1"] @ X.T / m + lambd / m * W1
            grads["db1"] = np.sum(grads["dZ1"], axis=1, keepdims=True) / m
            return grads
        """),
    ("dW1 = X dZ1^T / m: transposed", "has shape", """
        def backward_propagation_with_regularization(X, Y, cache, lambd):
            m = X.shape[1]
            (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
            dZ3 = A3 - Y
            dW3 = np.dot(dZ3, A2.T) / m + lambd / m * W3
            db3 = np.sum(dZ3, axis=1, keepdims=True) / m
            dA2 = np.dot(W3.T, dZ3)
            dZ2 = dA2 * (Z2 > 0)
            dW2 = np.dot(dZ2, A1.T) / m + lambd / m * W2
            db2 = np.sum(dZ2, axis=1, keepdims=True) / m
            dA1 = np.dot(W2.T, dZ2)
            dZ1 = dA1 * (Z1 > 0)
            dW1 = np.dot(X, dZ1.T) / m + lambd / m * W1.T
            db1 = np.sum(dZ1, axis=1, keepdims=True) / m
            return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2,
                    "db2": db2, "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}
        """),
]

_L2B_RIGHT = [
    ("L2 term with a float32 lambd / m", _l2b("np.float32(lambd / m) * W3", "np.float32(lambd / m) * W2",
                                            "np.float32(lambd / m) * W1")),
    ("course style: np.dot, np.multiply, np.int64(A > 0)", _l2b()),
    ("reg_utils' backward_propagation plus the L2 term (dZ3 = (A3 - Y) / m scaling)", """
        def backward_propagation_with_regularization(X, Y, cache, lambd):
            m = X.shape[1]
            grads = backward_propagation(X, Y, cache)
            W = {"W1": cache[2], "W2": cache[6], "W3": cache[10]}
            for l in (1, 2, 3):
                grads["dW" + str(l)] = grads["dW" + str(l)] + (lambd / m) * W["W" + str(l)]
            return grads
        """),
    ("loop over layers with @, np.heaviside and np.where", """
        def backward_propagation_with_regularization(X, Y, cache, lambd):
            m = X.shape[1]
            Z = {1: cache[0], 2: cache[4]}
            A = {0: X, 1: cache[1], 2: cache[5], 3: cache[9]}
            W = {1: cache[2], 2: cache[6], 3: cache[10]}
            grads = {}
            dZ = A[3] - Y
            for l in (3, 2, 1):
                grads[f"dZ{l}"] = dZ
                grads[f"dW{l}"] = (dZ @ A[l - 1].T) / m + (lambd / m) * W[l]
                grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
                if l > 1:
                    dA = W[l].T @ dZ
                    grads[f"dA{l - 1}"] = dA
                    dZ = np.where(Z[l - 1] > 0, dA, 0.0) if l == 3 else dA * np.heaviside(Z[l - 1], 0)
            return grads
        """),
    ("einsum for the products", """
        def backward_propagation_with_regularization(X, Y, cache, lambd):
            m = X.shape[1]
            (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
            dZ3 = A3 - Y
            dW3 = np.einsum("im,jm->ij", dZ3, A2) / m + lambd * W3 / m
            db3 = dZ3.mean(axis=1, keepdims=True)
            dA2 = np.einsum("ji,jm->im", W3, dZ3)
            dZ2 = dA2 * (A2 > 0)
            dW2 = np.einsum("im,jm->ij", dZ2, A1) / m + lambd * W2 / m
            db2 = dZ2.mean(axis=1, keepdims=True)
            dA1 = np.einsum("ji,jm->im", W2, dZ2)
            dZ1 = dA1 * (A1 > 0)
            dW1 = np.einsum("im,jm->ij", dZ1, X) / m + lambd * W1 / m
            db1 = dZ1.mean(axis=1, keepdims=True)
            return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2,
                    "db2": db2, "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}
        """),
]

# ------------------------------------------------------- dropout forward

_FWD_TEMPLATE = """
def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    {seed}
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
    Z1 = np.dot(W1, X) + b1
    A1 = relu(Z1)
    D1 = {draw1}
    D1 = {thresh1}
    A1 = A1 * D1
    A1 = A1 {scale1}
    Z2 = np.dot(W2, A1) + b2
    A2 = relu(Z2)
    D2 = {draw2}
    D2 = {thresh2}
    A2 = A2 * D2
    A2 = A2 {scale2}
    Z3 = np.dot(W3, A2) + b3
    A3 = sigmoid(Z3){out}
    cache = (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
    return A3, cache
"""


def _fwd(seed="", draw1="np.random.rand(A1.shape[0], A1.shape[1])",
         draw2="np.random.rand(A2.shape[0], A2.shape[1])",
         thresh1="D1 < keep_prob", thresh2="D2 < keep_prob",
         scale1="/ keep_prob", scale2="/ keep_prob", out=""):
    """The course-style dropout forward (without its reseeding) with one slot changed."""
    return _FWD_TEMPLATE.format(seed=seed, draw1=draw1, draw2=draw2, thresh1=thresh1,
                                thresh2=thresh2, scale1=scale1, scale2=scale2, out=out)


_FWD_WRONG = [
    ("forgets to rescale by 1 / keep_prob", "A1", _fwd(scale1="", scale2="")),
    ("mask built with > keep_prob (keeps 1 - keep_prob)", "keeps",
     _fwd(thresh1="D1 > keep_prob", thresh2="D2 > keep_prob")),
    ("dropout on the output too", "A3",
     _fwd(out="\n    A3 = A3 * (np.random.rand(*A3.shape) < keep_prob) / keep_prob")),
    ("divides by (1 - keep_prob)", "A1",
     _fwd(scale1="/ (1 - keep_prob)", scale2="/ (1 - keep_prob)")),
    ("reseeds inside the function (the course's np.random.seed(1))", "reseed",
     _fwd(seed="np.random.seed(1)")),
    ("multiplies by keep_prob instead of dividing", "A1",
     _fwd(scale1="* keep_prob", scale2="* keep_prob")),
    ("mask from np.random.randn < keep_prob (normal, not uniform)", "keeps",
     _fwd(draw1="np.random.randn(A1.shape[0], A1.shape[1])",
          draw2="np.random.randn(A2.shape[0], A2.shape[1])")),
    ("caches the raw uniforms as D1 (thresholds only when masking)", "0/1 mask", """
        def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
            W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
            Z1 = W1 @ X + b1
            D1 = np.random.rand(*Z1.shape)
            A1 = relu(Z1) * (D1 < keep_prob) / keep_prob
            Z2 = W2 @ A1 + b2
            D2 = np.random.rand(*Z2.shape)
            A2 = relu(Z2) * (D2 < keep_prob) / keep_prob
            Z3 = W3 @ A2 + b3
            A3 = sigmoid(Z3)
            return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
        """),
    ("one mask column shared by all examples", "shape",
     _fwd(draw1="np.random.rand(A1.shape[0], 1)", draw2="np.random.rand(A2.shape[0], 1)")),
    ("draws from a fresh np.random.default_rng() (ignores np.random.seed)", "global RNG",
     _fwd(seed="rng = np.random.default_rng()", draw1="rng.random(A1.shape)",
          draw2="rng.random(A2.shape)")),
    ("rescales layer 1 only", "A2", _fwd(scale2="")),
    ("masks the second layer with the first layer's mask", "same mask", """
        def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
            W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
            Z1 = W1 @ X + b1
            D1 = np.random.rand(*Z1.shape) < keep_prob
            A1 = relu(Z1) * D1 / keep_prob
            Z2 = W2 @ A1 + b2
            D2 = D1
            A2 = relu(Z2) * D2 / keep_prob
            Z3 = W3 @ A2 + b3
            A3 = sigmoid(Z3)
            return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
        """),
    ("dropout on the input X, in place", "Z1", """
        def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
            W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
            X *= np.random.rand(*X.shape) < keep_prob
            X /= keep_prob
            Z1 = W1 @ X + b1
            D1 = np.random.rand(*Z1.shape) < keep_prob
            A1 = relu(Z1) * D1 / keep_prob
            Z2 = W2 @ A1 + b2
            D2 = np.random.rand(*Z2.shape) < keep_prob
            A2 = relu(Z2) * D2 / keep_prob
            Z3 = W3 @ A2 + b3
            A3 = sigmoid(Z3)
            return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
        """),
    ("masks Z before the ReLU and caches the masked Z1 (cache's Z1 is not W1 X + b1)", "Z1", """
        def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
            W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
            Z1 = W1 @ X + b1
            D1 = np.random.rand(*Z1.shape) < keep_prob
            Z1 = Z1 * D1 / keep_prob
            A1 = relu(Z1)
            Z2 = W2 @ A1 + b2
            D2 = np.random.rand(*Z2.shape) < keep_prob
            Z2 = Z2 * D2 / keep_prob
            A2 = relu(Z2)
            Z3 = W3 @ A2 + b3
            A3 = sigmoid(Z3)
            return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
        """),
]

_FWD_RIGHT = [
    ("float32 masks, 1 / keep_prob in float32", _fwd(
        thresh1="(D1 < keep_prob).astype(np.float32)", thresh2="(D2 < keep_prob).astype(np.float32)",
        scale1="* np.float32(1 / keep_prob)", scale2="* np.float32(1 / keep_prob)")),
    ("np.random.random, int mask, np.multiply",
     _fwd(draw1="np.random.random(A1.shape)", draw2="np.random.random(A2.shape)",
          thresh1="(D1 < keep_prob).astype(int)", thresh2="(D2 < keep_prob).astype(int)")),
    ("np.random.binomial(1, keep_prob, size) with @ and np.multiply", """
        def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
            W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
            Z1 = W1 @ X + b1
            D1 = np.random.binomial(1, keep_prob, size=Z1.shape)
            A1 = np.multiply(relu(Z1), D1) / keep_prob
            Z2 = W2 @ A1 + b2
            D2 = np.random.binomial(1, keep_prob, size=Z2.shape)
            A2 = np.multiply(relu(Z2), D2) / keep_prob
            Z3 = W3 @ A2 + b3
            A3 = sigmoid(Z3)
            return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
        """),
    ("np.random.uniform, float mask, np.where, in-place rescale of its own array", """
        def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
            W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
            Z1 = np.dot(W1, X) + b1
            D1 = (np.random.uniform(0, 1, Z1.shape) < keep_prob).astype(float)
            A1 = np.where(D1 == 1, relu(Z1), 0.0)
            A1 /= keep_prob
            Z2 = np.dot(W2, A1) + b2
            D2 = (np.random.uniform(0, 1, Z2.shape) < keep_prob).astype(float)
            A2 = np.where(D2 == 1, relu(Z2), 0.0)
            A2 /= keep_prob
            Z3 = np.dot(W3, A2) + b3
            A3 = sigmoid(Z3)
            return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
        """),
    ("masks Z before the ReLU, caches the unmasked Z (relu(c z) = c relu(z), c >= 0)", """
        def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
            W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
            Z1 = W1 @ X + b1
            D1 = np.random.rand(*Z1.shape) < keep_prob
            A1 = relu(Z1 * D1 / keep_prob)
            Z2 = W2 @ A1 + b2
            D2 = np.random.rand(*Z2.shape) < keep_prob
            A2 = relu(Z2 * D2 / keep_prob)
            Z3 = W3 @ A2 + b3
            A3 = sigmoid(Z3)
            return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
        """),
    ("loop over the hidden layers, boolean mask, both masks drawn up front", """
        def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
            n1, m = parameters["W1"].shape[0], X.shape[1]
            n2 = parameters["W2"].shape[0]
            masks = [np.random.rand(n1, m) < keep_prob, np.random.rand(n2, m) < keep_prob]
            A, cache = X, []
            for l in (1, 2):
                W, b = parameters[f"W{l}"], parameters[f"b{l}"]
                Z = W @ A + b
                D = masks[l - 1]
                A = relu(Z) * D / keep_prob
                cache += [Z, D, A, W, b]
            Z3 = parameters["W3"] @ A + parameters["b3"]
            A3 = sigmoid(Z3)
            return A3, tuple(cache + [Z3, A3, parameters["W3"], parameters["b3"]])
        """),
]

# ------------------------------------------------------ dropout backward

_BWD_TEMPLATE = """
def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    m = X.shape[1]
    (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1. / m * np.dot(dZ3, A2.T)
    db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    dA2 = dA2 {mask2}
    dA2 = dA2 {scale2}
    dZ2 = np.multiply(dA2, np.int64({relu2}))
    dW2 = 1. / m * np.dot(dZ2, A1.T)
    db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dA1 = dA1 {mask1}
    dA1 = dA1 {scale1}
    dZ1 = np.multiply(dA1, np.int64({relu1}))
    dW1 = 1. / m * np.dot(dZ1, X.T)
    db1 = 1. / m * np.sum(dZ1, axis=1, keepdims=True)
    return {{"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}}
"""


def _bwd(mask2="* D2", scale2="/ keep_prob", mask1="* D1", scale1="/ keep_prob",
         relu2="A2 > 0", relu1="A1 > 0"):
    """The course-style dropout backward with one slot changed."""
    return _BWD_TEMPLATE.format(mask2=mask2, scale2=scale2, mask1=mask1, scale1=scale1,
                                relu2=relu2, relu1=relu1)


_BWD_WRONG = [
    # With A > 0 as the ReLU derivative the cached (already masked) A hides a
    # missing mask from dW and db; dA2 and dA1 still show it.
    ("forgets the masks (ReLU derivative from A > 0)", "dA2", _bwd(mask2="", mask1="")),
    ("forgets the masks (ReLU derivative from Z > 0)", "dW",
     _bwd(mask2="", mask1="", relu2="Z2 > 0", relu1="Z1 > 0")),
    ("forgets / keep_prob", "dA2", _bwd(scale2="", scale1="")),
    ("divides by (1 - keep_prob)", "dA2",
     _bwd(scale2="/ (1 - keep_prob)", scale1="/ (1 - keep_prob)")),
    ("multiplies by keep_prob", "dA2", _bwd(scale2="* keep_prob", scale1="* keep_prob")),
    ("masks with the other layer's mask", "dA2", _bwd(mask2="* D1", mask1="* D2")),
    ("masks dA2 but not dA1", "dA1", _bwd(mask1="", scale1="")),
    ("/ keep_prob twice: on dA2 and again on dZ2", "dZ2", """
        def backward_propagation_with_dropout(X, Y, cache, keep_prob):
            m = X.shape[1]
            (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
            dZ3 = A3 - Y
            dA2 = np.dot(W3.T, dZ3) * D2 / keep_prob
            dZ2 = dA2 * (A2 > 0) / keep_prob
            dA1 = np.dot(W2.T, dZ2) * D1 / keep_prob
            dZ1 = dA1 * (A1 > 0) / keep_prob
            return {"dZ3": dZ3, "dW3": np.dot(dZ3, A2.T) / m, "db3": np.sum(dZ3, axis=1, keepdims=True) / m,
                    "dA2": dA2, "dZ2": dZ2, "dW2": np.dot(dZ2, A1.T) / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m,
                    "dA1": dA1, "dZ1": dZ1, "dW1": np.dot(dZ1, X.T) / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m}
        """),
    ("dZ3 computed in place on the cached A3", "in place", """
        def backward_propagation_with_dropout(X, Y, cache, keep_prob):
            m = X.shape[1]
            (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
            dZ3 = A3
            dZ3 -= Y
            dA2 = W3.T @ dZ3 * D2 / keep_prob
            dZ2 = dA2 * (Z2 > 0)
            dA1 = W2.T @ dZ2 * D1 / keep_prob
            dZ1 = dA1 * (Z1 > 0)
            return {"dZ3": dZ3, "dW3": dZ3 @ A2.T / m, "db3": dZ3.sum(1, keepdims=True) / m,
                    "dA2": dA2, "dZ2": dZ2, "dW2": dZ2 @ A1.T / m, "db2": dZ2.sum(1, keepdims=True) / m,
                    "dA1": dA1, "dZ1": dZ1, "dW1": dZ1 @ X.T / m, "db1": dZ1.sum(1, keepdims=True) / m}
        """),
    ("1/m twice: dZ3 = (A3 - Y) / m and dW = dZ A^T / m", "dW", """
        def backward_propagation_with_dropout(X, Y, cache, keep_prob):
            m = X.shape[1]
            (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
            dZ3 = (A3 - Y) / m
            dA2 = W3.T @ dZ3 * D2 / keep_prob
            dZ2 = dA2 * (Z2 > 0)
            dA1 = W2.T @ dZ2 * D1 / keep_prob
            dZ1 = dA1 * (Z1 > 0)
            return {"dZ3": dZ3, "dW3": dZ3 @ A2.T / m, "db3": dZ3.sum(1, keepdims=True) / m,
                    "dA2": dA2, "dZ2": dZ2, "dW2": dZ2 @ A1.T / m, "db2": dZ2.sum(1, keepdims=True) / m,
                    "dA1": dA1, "dZ1": dZ1, "dW1": dZ1 @ X.T / m, "db1": dZ1.sum(1, keepdims=True) / m}
        """),
]

_BWD_RIGHT = [
    ("1 / keep_prob in float32", _bwd(scale2="* np.float32(1 / keep_prob)",
                                      scale1="* np.float32(1 / keep_prob)")),
    ("course style: np.dot, dA * D then / keep_prob, np.int64(A > 0)", _bwd()),
    ("(A3 - Y) / m scaling, @ and np.where on the mask", """
        def backward_propagation_with_dropout(X, Y, cache, keep_prob):
            (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
            m = X.shape[1]
            dZ3 = (A3 - Y) / m
            dA2 = np.where(D2, W3.T @ dZ3 / keep_prob, 0.0)
            dZ2 = np.where(Z2 > 0, dA2, 0.0)
            dA1 = np.where(D1, W2.T @ dZ2 / keep_prob, 0.0)
            dZ1 = np.where(Z1 > 0, dA1, 0.0)
            return {"dZ3": dZ3, "dW3": dZ3 @ A2.T, "db3": dZ3.sum(axis=1, keepdims=True),
                    "dA2": dA2, "dZ2": dZ2, "dW2": dZ2 @ A1.T, "db2": dZ2.sum(axis=1, keepdims=True),
                    "dA1": dA1, "dZ1": dZ1, "dW1": dZ1 @ X.T, "db1": dZ1.sum(axis=1, keepdims=True)}
        """),
    ("loop over layers, np.multiply and np.heaviside", """
        def backward_propagation_with_dropout(X, Y, cache, keep_prob):
            m = X.shape[1]
            Z = {1: cache[0], 2: cache[5]}
            D = {1: cache[1], 2: cache[6]}
            A = {0: X, 1: cache[2], 2: cache[7], 3: cache[11]}
            W = {1: cache[3], 2: cache[8], 3: cache[12]}
            grads = {}
            dZ = A[3] - Y
            for l in (3, 2, 1):
                grads["dZ" + str(l)] = dZ
                grads["dW" + str(l)] = np.dot(dZ, A[l - 1].T) / m
                grads["db" + str(l)] = np.sum(dZ, axis=1, keepdims=True) / m
                if l > 1:
                    dA = np.multiply(np.dot(W[l].T, dZ), D[l - 1]) / keep_prob
                    grads["dA" + str(l - 1)] = dA
                    dZ = np.multiply(dA, np.heaviside(Z[l - 1], 0.0))
            return grads
        """),
    ("1 / keep_prob written first, ReLU derivative as a float array from Z > 0", """
        def backward_propagation_with_dropout(X, Y, cache, keep_prob):
            m = X.shape[1]
            (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
            dZ3 = A3 - Y
            dA2 = (1 / keep_prob) * (W3.T @ dZ3) * D2
            dZ2 = dA2 * (Z2 > 0).astype(float)
            dA1 = (1 / keep_prob) * (W2.T @ dZ2) * D1
            dZ1 = dA1 * (Z1 > 0).astype(float)
            return {"dZ3": dZ3, "dW3": (dZ3 @ A2.T) / m, "db3": np.mean(dZ3, axis=1, keepdims=True),
                    "dA2": dA2, "dZ2": dZ2, "dW2": (dZ2 @ A1.T) / m, "db2": np.mean(dZ2, axis=1, keepdims=True),
                    "dA1": dA1, "dZ1": dZ1, "dW1": (dZ1 @ X.T) / m, "db1": np.mean(dZ1, axis=1, keepdims=True)}
        """),
]

VARIANTS = (
    [wrong(COST, n, e, s) for n, e, s in _COST_WRONG]
    + [right(COST, n, s) for n, s in _COST_RIGHT]
    + [wrong(L2B, n, e, s) for n, e, s in _L2B_WRONG]
    + [right(L2B, n, s) for n, s in _L2B_RIGHT]
    + [wrong(FWD, n, e, s) for n, e, s in _FWD_WRONG]
    + [right(FWD, n, s) for n, s in _FWD_RIGHT]
    + [wrong(BWD, n, e, s) for n, e, s in _BWD_WRONG]
    + [right(BWD, n, s) for n, s in _BWD_RIGHT]
)
