"""Reference answers for the `frameworks` assignment, Part 1 (numpy).

Conventions (the notebook says each once; the graders pin them):
    Z: (n, m) pre-activations of one layer for m examples; gamma, beta: (n, 1)
    AL, Y: (C, m) softmax outputs and one-hot labels, one column per example
    softmax_backward returns dZ = AL - Y: m times dJ/dZ of the MEAN cost,
    the 1/m goes into dW (as in the course's other notebooks)
    batch norm uses the biased variance (mean of squares, divide by m) and
    eps inside the square root; cache = (Z, Z_norm, mu, var, gamma, beta, eps)
    running averages: running = momentum * running + (1 - momentum) * batch

Part 2 (TensorFlow, imported on first use so that Part 1 runs without it):
    X: (n_x, m) float32, one-hot labels (C, m), W[l] (n[l], n[l-1]), b[l] (n[l], 1)
    forward_propagation: LINEAR -> RELU -> LINEAR -> RELU -> LINEAR, logits (C, m)
    compute_total_loss: categorical cross-entropy from logits SUMMED over examples
    Part 2 functions carry @numpy_io (as in the notebook): called with numpy
    arrays they take tensors and give numpy back (see fw_utils.numpy_io).
    numpy versions of the same network (forward_numpy, total_loss_numpy,
    total_loss_gradients_numpy) are what the graders compare with.

The helper blocks repeat the student's helpers (source/frameworks/fw_utils.py)
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


# ================================================= Part 2: TensorFlow
# ------------------------------------------------- helpers (as fw_utils)

def _is_tensorflow(value):
    """A TensorFlow object (tensor, variable, optimizer...), or a dict/list/tuple holding one."""
    if isinstance(value, dict):
        return any(_is_tensorflow(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_is_tensorflow(v) for v in value)
    return type(value).__module__.split(".")[0] in ("tensorflow", "keras")


def _to_numpy(value):
    """Tensors and variables (also inside dicts, lists, tuples) -> numpy arrays, floats."""
    if isinstance(value, dict):
        return {k: _to_numpy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_to_numpy(v) for v in value)
    if _is_tensorflow(value) and hasattr(value, "numpy"):
        array = np.asarray(value.numpy())
        return array.item() if array.ndim == 0 else array
    return value


def numpy_io(function):
    """Lets numpy callers use a Part 2 function; your own TensorFlow calls are untouched.

    The graders and the public checks call the Part 2 functions with numpy
    arrays and read numpy arrays back (only plain data travels to a grader).
    Called with no TensorFlow object among its arguments, the decorated
    function receives numpy arrays as tf.constant, a dict of arrays as a dict
    of tf.Variable and a float ``optimizer`` as tf.keras.optimizers.SGD with
    that learning rate; what it returns comes back as numpy (a scalar as a
    float), and variables it changed are copied back into the arrays it was
    given.  Called with tensors (your training loop), it is the plain function.
    """
    import functools
    import inspect
    names = list(inspect.signature(function).parameters)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if _is_tensorflow(args) or _is_tensorflow(kwargs):
            return function(*args, **kwargs)
        import tensorflow as tf
        given = dict(zip(names, args), **kwargs)
        converted, copy_back = {}, []
        for name, value in given.items():
            if name == "optimizer" and isinstance(value, (int, float)):
                value = tf.keras.optimizers.SGD(learning_rate=float(value))
            elif isinstance(value, np.ndarray):
                value = tf.constant(value)
            elif isinstance(value, dict) and all(isinstance(v, np.ndarray) for v in value.values()):
                variables = {k: tf.Variable(v) for k, v in value.items()}
                copy_back += [(value[k], variables[k]) for k in value]
                value = variables
            converted[name] = value
        result = function(**converted)
        for array, variable in copy_back:
            np.copyto(array, variable.numpy().astype(array.dtype, copy=False))
        return _to_numpy(result)
    return wrapper


# --------------------------------------------- the same network in numpy

def forward_numpy(X, parameters):
    """LINEAR -> RELU -> LINEAR -> RELU -> LINEAR in float64.  X: (n_x, m).
    Returns the logits Z3: (C, m) and the cache (Z1, A1, Z2, A2)."""
    P = {k: np.asarray(v, dtype=np.float64) for k, v in parameters.items()}
    X = np.asarray(X, dtype=np.float64)
    Z1 = P["W1"] @ X + P["b1"]
    A1 = relu(Z1)
    Z2 = P["W2"] @ A1 + P["b2"]
    A2 = relu(Z2)
    return P["W3"] @ A2 + P["b3"], (Z1, A1, Z2, A2)


def total_loss_numpy(logits, Y):
    """Summed categorical cross-entropy from logits, float64.  logits, Y: (C, m)."""
    logits = np.asarray(logits, dtype=np.float64)
    top = logits.max(axis=0)
    log_norm = top + np.log(np.exp(logits - top).sum(axis=0))
    return float(-np.sum(np.asarray(Y, dtype=np.float64) * (logits - log_norm)))


def total_loss_gradients_numpy(X, Y, parameters):
    """d(total loss)/d(every parameter) by backpropagation, float64.
    Returns {"W1": (n1, n_x), "b1": (n1, 1), ...}: the same keys as parameters."""
    Z3, (Z1, A1, Z2, A2) = forward_numpy(X, parameters)
    P = {k: np.asarray(v, dtype=np.float64) for k, v in parameters.items()}
    dZ3 = softmax(Z3) - np.asarray(Y, dtype=np.float64)      # summed loss: no 1/m
    dZ2 = (P["W3"].T @ dZ3) * (Z2 > 0)
    dZ1 = (P["W2"].T @ dZ2) * (Z1 > 0)
    X = np.asarray(X, dtype=np.float64)
    return {"W3": dZ3 @ A2.T, "b3": dZ3.sum(axis=1, keepdims=True),
            "W2": dZ2 @ A1.T, "b2": dZ2.sum(axis=1, keepdims=True),
            "W1": dZ1 @ X.T, "b1": dZ1.sum(axis=1, keepdims=True)}


# ------------------------------------------------ graded functions (TF)

@numpy_io
def one_hot_matrix(labels, depth=6):
    """labels: (m,) ints in [0, depth).  Returns (depth, m) float32 one-hot columns."""
    import tensorflow as tf
    return tf.one_hot(labels, depth, axis=0)


@numpy_io
def initialize_parameters(layer_dims, seed=1):
    """Glorot normal weights (keras' GlorotNormal, seeded from ``seed``), zero biases.
    layer_dims: [n_x, n1, ..., nL].  Returns {"W{l}": tf.Variable (n[l], n[l-1]),
    "b{l}": tf.Variable (n[l], 1)}, float32."""
    import tensorflow as tf
    parameters = {}
    for l in range(1, len(layer_dims)):
        init = tf.keras.initializers.GlorotNormal(seed=seed + l)
        parameters[f"W{l}"] = tf.Variable(init(shape=(layer_dims[l], layer_dims[l - 1])))
        parameters[f"b{l}"] = tf.Variable(tf.zeros((layer_dims[l], 1)))
    return parameters


@numpy_io
def forward_propagation(X, parameters):
    """LINEAR -> RELU -> LINEAR -> RELU -> LINEAR.  X: (n_x, m).  Returns logits (C, m)."""
    import tensorflow as tf
    Z1 = tf.matmul(parameters["W1"], X) + parameters["b1"]
    A1 = tf.nn.relu(Z1)
    Z2 = tf.matmul(parameters["W2"], A1) + parameters["b2"]
    A2 = tf.nn.relu(Z2)
    return tf.matmul(parameters["W3"], A2) + parameters["b3"]


@numpy_io
def compute_total_loss(logits, labels):
    """Summed categorical cross-entropy.  logits, labels: (C, m).  Returns a scalar tensor."""
    import tensorflow as tf
    return tf.reduce_sum(tf.keras.losses.categorical_crossentropy(
        tf.transpose(labels), tf.transpose(logits), from_logits=True))


@numpy_io
def train_step(X, Y, parameters, optimizer):
    """One optimizer step on the total loss of (X: (n_x, m), Y: (C, m)).
    parameters: dict of tf.Variable, updated in place.  Returns the loss before the step."""
    import tensorflow as tf
    variables = [parameters[k] for k in sorted(parameters)]
    with tf.GradientTape() as tape:
        loss = compute_total_loss(forward_propagation(X, parameters), Y)
    grads = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(grads, variables))
    return loss
