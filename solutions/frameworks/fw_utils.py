"""Helpers of the `frameworks` notebook: the dataset, a deep numpy network that
uses your Part 1 functions, the small search experiment, and plots.

Conventions: X (n_x, m), labels (m,) ints in [0, C), Y (C, m) one-hot,
W[l] (n[l], n[l-1]), b[l] (n[l], 1), float64.  Helpers that draw random
numbers use numpy's global RNG (the notebook seeds it in its own cells).

Functions that train with your code take ``ops``: a dict of your graded
functions, {"softmax": softmax, "softmax_backward": softmax_backward, ...}.
"""
import numpy as np

IMAGE_SIZE = 12
CLASS_NAMES = ("horizontal bar", "vertical bar", "diagonal \\", "diagonal /", "square", "plus")


# ------------------------------------------------------------------ data

def relu(x):
    """max(0, x), elementwise.  x: any shape -> same shape."""
    return np.maximum(0, x)


def one_hot(labels, C):
    """labels: (m,) or (1, m) ints in [0, C) -> (C, m) float64 one-hot columns."""
    labels = np.asarray(labels).reshape(-1)
    Y = np.zeros((C, labels.size))
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


def _draw_shape(kind, rng, size):
    """One size x size image of shape ``kind`` (an index of CLASS_NAMES), values in [0, 1]."""
    img = np.zeros((size, size))
    r, c = size // 2 + rng.integers(-2, 2, 2)
    half = int(rng.integers(3, 6))
    a, b = max(r - half, 0), min(r + half + 1, size)
    d, e = max(c - half, 0), min(c + half + 1, size)
    if kind == 0:
        img[r, d:e] = 1
    elif kind == 1:
        img[a:b, c] = 1
    elif kind in (2, 3):
        for k in range(-half, half + 1):
            i, j = r + k, c + (k if kind == 2 else -k)
            if 0 <= i < size and 0 <= j < size:
                img[i, j] = 1
    elif kind == 4:
        img[a, d:e] = img[b - 1, d:e] = 1
        img[a:b, d] = img[a:b, e - 1] = 1
    else:
        img[r, d:e] = 1
        img[a:b, c] = 1
    return img * rng.uniform(0.6, 1.0)


def make_shapes_dataset(n_per_class=200, noise=0.25, seed=0, size=IMAGE_SIZE):
    """Small grey images of 6 kinds of strokes at random places, plus Gaussian noise.

    Returns X: (size * size, 6 * n_per_class) float64, one flattened image per
    column, and labels: (6 * n_per_class,) ints in [0, 6), in random order.
    Uses its own generator (``seed``), not the global RNG.
    """
    rng = np.random.default_rng(seed)
    images, labels = [], []
    for kind in range(len(CLASS_NAMES)):
        for _ in range(n_per_class):
            images.append(_draw_shape(kind, rng, size) + noise * rng.standard_normal((size, size)))
            labels.append(kind)
    order = rng.permutation(len(labels))
    X = np.array(images).reshape(len(labels), -1).T[:, order]
    return X, np.array(labels)[order]


def show_images(X, labels, n=12, title="Examples", size=IMAGE_SIZE):
    """A row of the first n images of X: (size * size, m) with their class names."""
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, n, figsize=(1.3 * n, 1.9))
    for j, ax in enumerate(axes):
        ax.imshow(X[:, j].reshape(size, size), cmap="gray_r")
        ax.set_title(CLASS_NAMES[labels[j]], fontsize=7)
        ax.axis("off")
    fig.suptitle(title)
    return fig


# ------------------------------------------ a deep network with batch norm

def initialize_network(layer_dims, use_bn):
    """He-initialized weights from numpy's global RNG.
    layer_dims: [n_x, n1, ..., n_L].  Hidden layers get gamma = 1, beta = 0
    (and running statistics mu = 0, var = 1) when ``use_bn``.
    Returns {"W{l}": (n[l], n[l-1]), "b{l}": (n[l], 1), "gamma{l}", "beta{l}",
    "running_mu{l}", "running_var{l}": (n[l], 1)}."""
    params = {}
    L = len(layer_dims) - 1
    for l in range(1, L + 1):
        params[f"W{l}"] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * np.sqrt(2 / layer_dims[l - 1])
        params[f"b{l}"] = np.zeros((layer_dims[l], 1))
        if use_bn and l < L:
            params[f"gamma{l}"] = np.ones((layer_dims[l], 1))
            params[f"beta{l}"] = np.zeros((layer_dims[l], 1))
            params[f"running_mu{l}"] = np.zeros((layer_dims[l], 1))
            params[f"running_var{l}"] = np.ones((layer_dims[l], 1))
    return params


def forward(X, params, ops, mode="train", eps=1e-5):
    """LINEAR -> [BATCHNORM] -> RELU, L - 1 times, then LINEAR -> SOFTMAX.

    X: (n_x, m).  mode: "train" (batch norm with this batch's statistics, your
    batchnorm_forward), "running" (your batchnorm_inference with the running
    averages) or "batch" (batchnorm_forward at test time: the mistake the
    notebook measures).  Returns AL: (C, m) and the caches of every layer."""
    L = sum(k.startswith("W") for k in params)
    use_bn = "gamma1" in params
    A, caches = X, []
    for l in range(1, L + 1):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        bn_cache = None
        if l < L:
            if use_bn and mode == "running":
                Z_tilde = ops["batchnorm_inference"](Z, params[f"gamma{l}"], params[f"beta{l}"],
                                                     params[f"running_mu{l}"],
                                                     params[f"running_var{l}"], eps)
            elif use_bn:
                Z_tilde, bn_cache = ops["batchnorm_forward"](Z, params[f"gamma{l}"],
                                                             params[f"beta{l}"], eps)
            else:
                Z_tilde = Z
            caches.append((A, Z, Z_tilde, bn_cache))
            A = relu(Z_tilde)
        else:
            caches.append((A, Z, Z, None))
            A = ops["softmax"](Z)
    return A, caches


def backward(AL, Y, params, caches, ops):
    """Gradients of the mean softmax cost.  dZ_L = softmax_backward(AL, Y) = AL - Y
    (m times dJ/dZ_L), so every dW, db, dgamma, dbeta is divided by m.
    Returns {"dW{l}", "db{l}", "dgamma{l}", "dbeta{l}"}."""
    m = Y.shape[1]
    L = len(caches)
    grads = {}
    dZ = ops["softmax_backward"](AL, Y)
    for l in range(L, 0, -1):
        A_prev, Z, Z_tilde, bn_cache = caches[l - 1]
        if l < L:
            dZ_tilde = dA * (Z_tilde > 0)
            if bn_cache is not None:
                dZ, dgamma, dbeta = ops["batchnorm_backward"](dZ_tilde, bn_cache)
                grads[f"dgamma{l}"], grads[f"dbeta{l}"] = dgamma / m, dbeta / m
            else:
                dZ = dZ_tilde
        grads[f"dW{l}"] = dZ @ A_prev.T / m
        grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True) / m
        dA = params[f"W{l}"].T @ dZ
    return grads


def train_network(X, labels, layer_dims, ops, use_bn, learning_rate=0.1, epochs=20,
                  batch_size=64, momentum=0.9, watch_layer=3):
    """Mini-batch gradient descent on the mean softmax cost (global RNG shuffles).

    X: (n_x, m), labels: (m,).  Returns params, the cost of every mini-batch,
    and the 10th, 50th and 90th percentiles of layer ``watch_layer``'s
    pre-activations (Z, before batch norm) for a fixed probe batch, once per
    epoch: (epochs + 1, 3)."""
    C = layer_dims[-1]
    Y = one_hot(labels, C)
    params = initialize_network(layer_dims, use_bn)
    m = X.shape[1]
    probe = X[:, :256]
    costs, spread = [], [_percentiles(probe, params, ops, watch_layer)]
    for _ in range(epochs):
        order = np.random.permutation(m)
        for start in range(0, m, batch_size):
            idx = order[start:start + batch_size]
            AL, caches = forward(X[:, idx], params, ops, "train")
            costs.append(ops["compute_softmax_cost"](AL, Y[:, idx]))
            grads = backward(AL, Y[:, idx], params, caches, ops)
            for key, g in grads.items():
                params[key[1:]] = params[key[1:]] - learning_rate * g
            if use_bn:
                for l, (_, _, _, bn_cache) in enumerate(caches[:-1], start=1):
                    params[f"running_mu{l}"], params[f"running_var{l}"] = ops["update_running_averages"](
                        params[f"running_mu{l}"], params[f"running_var{l}"], bn_cache[2], bn_cache[3],
                        momentum)
        spread.append(_percentiles(probe, params, ops, watch_layer))
    return params, np.array(costs), np.array(spread)


def _percentiles(X, params, ops, layer):
    _, caches = forward(X, params, ops, "train")
    return np.percentile(caches[layer - 1][1], [10, 50, 90])


def accuracy(X, labels, params, ops, mode="running", batch_size=None):
    """Fraction of correct predictions.  batch_size: feed the test set in
    batches of that size (None: all at once); matters only in mode "batch"."""
    m = X.shape[1]
    size = batch_size or m
    predictions = np.concatenate([forward(X[:, s:s + size], params, ops, mode)[0].argmax(axis=0)
                                  for s in range(0, m, size)])
    return float(np.mean(predictions == labels))


# --------------------------------------------- the hyperparameter search

def train_softmax_regression(X, labels, learning_rate, beta, ops, iterations=60,
                             X_dev=None, labels_dev=None):
    """Softmax regression (one linear layer) with momentum, batch gradient descent,
    weights starting at 0.  X: (n_x, m), labels: (m,).
    Returns the mean cost after training on (X_dev, labels_dev) if given, else on (X, labels)."""
    C = int(labels.max()) + 1
    Y = one_hot(labels, C)
    m = X.shape[1]
    W, b = np.zeros((C, X.shape[0])), np.zeros((C, 1))
    vW, vb = np.zeros_like(W), np.zeros_like(b)
    for _ in range(iterations):
        dZ = ops["softmax_backward"](ops["softmax"](W @ X + b), Y)
        vW = beta * vW + (1 - beta) * dZ @ X.T / m
        vb = beta * vb + (1 - beta) * dZ.sum(axis=1, keepdims=True) / m
        W, b = W - learning_rate * vW, b - learning_rate * vb
    if X_dev is None:
        X_dev, labels_dev = X, labels
    return ops["compute_softmax_cost"](ops["softmax"](W @ X_dev + b), one_hot(labels_dev, C))


# ------------------------------------------------ Part 2: TensorFlow helpers
# TensorFlow is imported on first use, so Part 1 runs without it.

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


def make_tf_dataset(X, labels, batch_size=32, seed=0):
    """Mini-batches for TensorFlow: a tf.data.Dataset of (X_batch: (batch, n_x),
    Y_batch: (batch, 6)) float32 pairs, shuffled every epoch with ``seed``.
    X: (n_x, m), labels: (m,).  (tf.data puts the examples on the first axis.)"""
    import tensorflow as tf
    Y = one_hot(labels, len(CLASS_NAMES)).T.astype(np.float32)
    data = tf.data.Dataset.from_tensor_slices((X.T.astype(np.float32), Y))
    return data.shuffle(X.shape[1], seed=seed, reshuffle_each_iteration=True).batch(batch_size)
