"""Variants of the `optimization` graded functions: realistic bugs and
correct answers written differently.

``initialize_adam`` doing ``v = s = {}`` returns one dict twice; the grader
checks ``v is not s`` against the channel's identity contract (one object
returned twice arrives as one plain copy), which plain.to_plain does not keep
yet: that variant is ``pending``.  The same bug inside the Adam step is also
covered through ``update_parameters_with_adam`` ("v_corrected and s_corrected
one dict").
"""
from autograder.variants import right, wrong

ONE_LINERS = {"update_lr": (4, 3), "schedule_lr_decay": (4, 3)}

GD = [
    wrong("update_parameters_with_gd", "+= instead of -=", "rel. error", """
        def update_parameters_with_gd(parameters, grads, learning_rate):
            L = len(parameters) // 2
            for l in range(1, L + 1):
                parameters["W" + str(l)] = parameters["W" + str(l)] + learning_rate * grads["dW" + str(l)]
                parameters["b" + str(l)] = parameters["b" + str(l)] + learning_rate * grads["db" + str(l)]
            return parameters
        """),
    wrong("update_parameters_with_gd", "learning rate forgotten", "learning_rate=0.1", """
        def update_parameters_with_gd(parameters, grads, learning_rate):
            L = len(parameters) // 2
            for l in range(1, L + 1):
                parameters["W" + str(l)] = parameters["W" + str(l)] - grads["dW" + str(l)]
                parameters["b" + str(l)] = parameters["b" + str(l)] - grads["db" + str(l)]
            return parameters
        """),
    wrong("update_parameters_with_gd", "last layer skipped", "L=1", """
        def update_parameters_with_gd(parameters, grads, learning_rate):
            L = len(parameters) // 2
            for l in range(1, L):
                parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
                parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
            return parameters
        """),
    wrong("update_parameters_with_gd", "biases never updated", "b1", """
        def update_parameters_with_gd(parameters, grads, learning_rate):
            L = len(parameters) // 2
            for l in range(1, L + 1):
                parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
            return parameters
        """),
    wrong("update_parameters_with_gd", "b updated with dW (broadcasts)", "b1 has shape", """
        def update_parameters_with_gd(parameters, grads, learning_rate):
            L = len(parameters) // 2
            for l in range(1, L + 1):
                parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
                parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["dW" + str(l)]
            return parameters
        """),
    wrong("update_parameters_with_gd", "L = len(parameters)", "KeyError", """
        def update_parameters_with_gd(parameters, grads, learning_rate):
            L = len(parameters)
            for l in range(1, L + 1):
                parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
                parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
            return parameters
        """),
    wrong("update_parameters_with_gd", "scales grads in place", "never change grads", """
        def update_parameters_with_gd(parameters, grads, learning_rate):
            L = len(parameters) // 2
            for l in range(1, L + 1):
                for p in ("W", "b"):
                    grads["d" + p + str(l)] *= learning_rate
                    parameters[p + str(l)] = parameters[p + str(l)] - grads["d" + p + str(l)]
            return parameters
        """),
    wrong("update_parameters_with_gd", "parameter replaced by the step", "rel. error", """
        def update_parameters_with_gd(parameters, grads, learning_rate):
            L = len(parameters) // 2
            for l in range(1, L + 1):
                parameters["W" + str(l)] = -learning_rate * grads["dW" + str(l)]
                parameters["b" + str(l)] = -learning_rate * grads["db" + str(l)]
            return parameters
        """),
    wrong("update_parameters_with_gd", "no return (updated in place only)", "None", """
        def update_parameters_with_gd(parameters, grads, learning_rate):
            L = len(parameters) // 2
            for l in range(1, L + 1):
                parameters["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
                parameters["b" + str(l)] -= learning_rate * grads["db" + str(l)]
        """),
    wrong("update_parameters_with_gd", "divides by the learning rate", "rel. error", """
        def update_parameters_with_gd(parameters, grads, learning_rate):
            L = len(parameters) // 2
            for l in range(1, L + 1):
                parameters["W" + str(l)] = parameters["W" + str(l)] - grads["dW" + str(l)] / learning_rate
                parameters["b" + str(l)] = parameters["b" + str(l)] - grads["db" + str(l)] / learning_rate
            return parameters
        """),
    # Another precision or order: within the graders' VALUE_RTOL (issue 8).
    right("update_parameters_with_gd", "learning rate as a float32", """
        def update_parameters_with_gd(parameters, grads, learning_rate):
            lr = np.float32(learning_rate)
            return {k: w - lr * grads["d" + k] for k, w in parameters.items()}
        """),
    right("update_parameters_with_gd", "in-place -= on the arrays", """
        def update_parameters_with_gd(parameters, grads, learning_rate):
            for l in range(1, len(parameters) // 2 + 1):
                parameters[f"W{l}"] -= learning_rate * grads[f"dW{l}"]
                parameters[f"b{l}"] -= learning_rate * grads[f"db{l}"]
            return parameters
        """),
    right("update_parameters_with_gd", "dict comprehension over keys", """
        def update_parameters_with_gd(parameters, grads, learning_rate):
            return {k: w - learning_rate * grads["d" + k] for k, w in parameters.items()}
        """),
    right("update_parameters_with_gd", "np.subtract / np.multiply", """
        def update_parameters_with_gd(parameters, grads, learning_rate):
            L = len(parameters) // 2
            for l in range(L):
                for p in ("W", "b"):
                    key = p + str(l + 1)
                    parameters[key] = np.subtract(parameters[key], np.multiply(learning_rate, grads["d" + key]))
            return parameters
        """),
    right("update_parameters_with_gd", "deep copy then update", """
        import copy
        def update_parameters_with_gd(parameters, grads, learning_rate):
            new = copy.deepcopy(parameters)
            for key in new:
                new[key] = new[key] - learning_rate * grads["d" + key]
            return new
        """),
]

MINI_BATCHES = [
    wrong("random_mini_batches", "last partial batch forgotten", "batch sizes are", """
        def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
            np.random.seed(seed)
            m = X.shape[1]
            permutation = list(np.random.permutation(m))
            shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation].reshape((1, m))
            mini_batches = []
            for k in range(m // mini_batch_size):
                cols = slice(k * mini_batch_size, (k + 1) * mini_batch_size)
                mini_batches.append((shuffled_X[:, cols], shuffled_Y[:, cols]))
            return mini_batches
        """),
    wrong("random_mini_batches", "empty last batch when m divides", "is empty", """
        def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
            np.random.seed(seed)
            m = X.shape[1]
            permutation = list(np.random.permutation(m))
            shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation].reshape((1, m))
            mini_batches = []
            n = m // mini_batch_size
            for k in range(n):
                cols = slice(k * mini_batch_size, (k + 1) * mini_batch_size)
                mini_batches.append((shuffled_X[:, cols], shuffled_Y[:, cols]))
            mini_batches.append((shuffled_X[:, n * mini_batch_size:], shuffled_Y[:, n * mini_batch_size:]))
            return mini_batches
        """),
    wrong("random_mini_batches", "X and Y shuffled with two permutations", "same permutation", """
        def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
            np.random.seed(seed)
            m = X.shape[1]
            shuffled_X = X[:, np.random.permutation(m)]
            shuffled_Y = Y[:, np.random.permutation(m)]
            return [(shuffled_X[:, k:k + mini_batch_size], shuffled_Y[:, k:k + mini_batch_size])
                    for k in range(0, m, mini_batch_size)]
        """),
    wrong("random_mini_batches", "np.random.shuffle on X's columns only", "same permutation", """
        def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
            np.random.seed(seed)
            m = X.shape[1]
            np.random.shuffle(X.T)
            return [(X[:, k:k + mini_batch_size], Y[:, k:k + mini_batch_size])
                    for k in range(0, m, mini_batch_size)]
        """),
    wrong("random_mini_batches", "np.random.shuffle(X) shuffles rows", "not a column of X", """
        def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
            np.random.seed(seed)
            m = X.shape[1]
            X = X.copy()
            np.random.shuffle(X)
            return [(X[:, k:k + mini_batch_size], Y[:, k:k + mini_batch_size])
                    for k in range(0, m, mini_batch_size)]
        """),
    wrong("random_mini_batches", "remainder batch starts one column late", "in no mini-batch", """
        def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
            np.random.seed(seed)
            m = X.shape[1]
            permutation = list(np.random.permutation(m))
            shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation].reshape((1, m))
            mini_batches = []
            n = m // mini_batch_size
            for k in range(n):
                cols = slice(k * mini_batch_size, (k + 1) * mini_batch_size)
                mini_batches.append((shuffled_X[:, cols], shuffled_Y[:, cols]))
            if m % mini_batch_size != 0:
                start = n * mini_batch_size + 1
                mini_batches.append((shuffled_X[:, start:], shuffled_Y[:, start:]))
            return mini_batches
        """),
    wrong("random_mini_batches", "m taken from X.shape[0]", "in no mini-batch", """
        def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
            np.random.seed(seed)
            m = X.shape[0]
            permutation = list(np.random.permutation(m))
            shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation].reshape((1, m))
            return [(shuffled_X[:, k:k + mini_batch_size], shuffled_Y[:, k:k + mini_batch_size])
                    for k in range(0, m, mini_batch_size)]
        """),
    wrong("random_mini_batches", "never seeds", "seed numpy's RNG", """
        def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
            m = X.shape[1]
            permutation = np.random.permutation(m)
            shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation]
            return [(shuffled_X[:, k:k + mini_batch_size], shuffled_Y[:, k:k + mini_batch_size])
                    for k in range(0, m, mini_batch_size)]
        """),
    wrong("random_mini_batches", "seeds with 0, not with seed", "seed with the seed argument", """
        def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
            np.random.seed(0)
            m = X.shape[1]
            permutation = np.random.permutation(m)
            shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation]
            return [(shuffled_X[:, k:k + mini_batch_size], shuffled_Y[:, k:k + mini_batch_size])
                    for k in range(0, m, mini_batch_size)]
        """),
    wrong("random_mini_batches", "never shuffles", "original order", """
        def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
            np.random.seed(seed)
            m = X.shape[1]
            return [(X[:, k:k + mini_batch_size], Y[:, k:k + mini_batch_size])
                    for k in range(0, m, mini_batch_size)]
        """),
    wrong("random_mini_batches", "Y batches 1-D", "mini_batch_Y of batch 0 has shape", """
        def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
            np.random.seed(seed)
            m = X.shape[1]
            permutation = np.random.permutation(m)
            shuffled_X, shuffled_Y = X[:, permutation], Y[0, permutation]
            return [(shuffled_X[:, k:k + mini_batch_size], shuffled_Y[k:k + mini_batch_size])
                    for k in range(0, m, mini_batch_size)]
        """),
    wrong("random_mini_batches", "Generator(seed) shuffle, not the global RNG's", "np.random.permutation(m)", """
        def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
            permutation = np.random.default_rng(seed).permutation(X.shape[1])
            shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation]
            m = X.shape[1]
            return [(shuffled_X[:, k:k + mini_batch_size], shuffled_Y[:, k:k + mini_batch_size])
                    for k in range(0, m, mini_batch_size)]
        """),
    right("random_mini_batches", "course-style loop with math.floor", """
        import math
        def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
            np.random.seed(seed)
            m = X.shape[1]
            mini_batches = []
            permutation = list(np.random.permutation(m))
            shuffled_X = X[:, permutation]
            shuffled_Y = Y[:, permutation].reshape((1, m))
            num_complete = math.floor(m / mini_batch_size)
            for k in range(0, num_complete):
                mini_batch_X = shuffled_X[:, k * mini_batch_size:(k + 1) * mini_batch_size]
                mini_batch_Y = shuffled_Y[:, k * mini_batch_size:(k + 1) * mini_batch_size]
                mini_batches.append((mini_batch_X, mini_batch_Y))
            if m % mini_batch_size != 0:
                mini_batch_X = shuffled_X[:, num_complete * mini_batch_size:]
                mini_batch_Y = shuffled_Y[:, num_complete * mini_batch_size:]
                mini_batches.append((mini_batch_X, mini_batch_Y))
            return mini_batches
        """),
    right("random_mini_batches", "np.random.shuffle of an index array", """
        def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
            np.random.seed(seed)
            m = X.shape[1]
            idx = np.arange(m)
            np.random.shuffle(idx)
            batches = []
            for start in range(0, m, mini_batch_size):
                cols = idx[start:start + mini_batch_size]
                batches.append((X[:, cols], Y[:, cols]))
            return batches
        """),
    right("random_mini_batches", "np.random.choice without replacement and np.split", """
        def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
            np.random.seed(seed)
            m = X.shape[1]
            order = np.random.choice(m, m, replace=False)
            cuts = list(range(mini_batch_size, m, mini_batch_size))
            xs = np.split(np.take(X, order, axis=1), cuts, axis=1)
            ys = np.split(np.take(Y, order, axis=1), cuts, axis=1)
            return list(zip(xs, ys))
        """),
    right("random_mini_batches", "transpose, index rows, transpose back", """
        def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
            np.random.seed(seed)
            perm = np.random.permutation(X.shape[1])
            Xs, Ys = X.T[perm].T, Y.T[perm].T
            n = -(-X.shape[1] // mini_batch_size)
            return [(Xs[:, i * mini_batch_size:(i + 1) * mini_batch_size],
                     Ys[:, i * mini_batch_size:(i + 1) * mini_batch_size]) for i in range(n)]
        """),
]

VELOCITY = [
    wrong("initialize_velocity", "keys W1 instead of dW1", "missing key", """
        def initialize_velocity(parameters):
            v = {}
            for l in range(1, len(parameters) // 2 + 1):
                v["W" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
                v["b" + str(l)] = np.zeros(parameters["b" + str(l)].shape)
            return v
        """),
    wrong("initialize_velocity", "W velocity transposed", "has shape", """
        def initialize_velocity(parameters):
            v = {}
            for l in range(1, len(parameters) // 2 + 1):
                n, n_prev = parameters["W" + str(l)].shape
                v["dW" + str(l)] = np.zeros((n_prev, n))
                v["db" + str(l)] = np.zeros((n, 1))
            return v
        """),
    wrong("initialize_velocity", "ones instead of zeros", "starts at zero", """
        def initialize_velocity(parameters):
            v = {}
            for l in range(1, len(parameters) // 2 + 1):
                v["dW" + str(l)] = np.ones_like(parameters["W" + str(l)])
                v["db" + str(l)] = np.ones_like(parameters["b" + str(l)])
            return v
        """),
    wrong("initialize_velocity", "last layer skipped", "missing key", """
        def initialize_velocity(parameters):
            v = {}
            for l in range(1, len(parameters) // 2):
                v["dW" + str(l)] = np.zeros_like(parameters["W" + str(l)])
                v["db" + str(l)] = np.zeros_like(parameters["b" + str(l)])
            return v
        """),
    wrong("initialize_velocity", "1-D bias velocity", "has shape", """
        def initialize_velocity(parameters):
            v = {}
            for l in range(1, len(parameters) // 2 + 1):
                v["dW" + str(l)] = np.zeros_like(parameters["W" + str(l)])
                v["db" + str(l)] = np.zeros(parameters["b" + str(l)].shape[0])
            return v
        """),
    wrong("initialize_velocity", "db shaped like W (copy-paste)", "has shape", """
        def initialize_velocity(parameters):
            v = {}
            for l in range(1, len(parameters) // 2 + 1):
                v["dW" + str(l)] = np.zeros_like(parameters["W" + str(l)])
                v["db" + str(l)] = np.zeros_like(parameters["W" + str(l)])
            return v
        """),
    wrong("initialize_velocity", "adds the velocity to the parameters dict", "unexpected key", """
        def initialize_velocity(parameters):
            L = len(parameters) // 2
            v = parameters
            for l in range(1, L + 1):
                v["dW" + str(l)] = np.zeros_like(parameters["W" + str(l)])
                v["db" + str(l)] = np.zeros_like(parameters["b" + str(l)])
            return v
        """),
    wrong("initialize_velocity", "zeroes the parameters' own arrays", "share their arrays", """
        def initialize_velocity(parameters):
            v = {}
            for l in range(1, len(parameters) // 2 + 1):
                for p in ("W", "b"):
                    v["d" + p + str(l)] = parameters[p + str(l)]
                    v["d" + p + str(l)].fill(0)
            return v
        """),
    wrong("initialize_velocity", "small random velocity", "starts at zero", """
        def initialize_velocity(parameters):
            v = {}
            for l in range(1, len(parameters) // 2 + 1):
                v["dW" + str(l)] = np.random.randn(*parameters["W" + str(l)].shape) * 0.01
                v["db" + str(l)] = np.zeros_like(parameters["b" + str(l)])
            return v
        """),
    wrong("initialize_velocity", "L = len(parameters)", "KeyError", """
        def initialize_velocity(parameters):
            v = {}
            for l in range(1, len(parameters) + 1):
                v["dW" + str(l)] = np.zeros_like(parameters["W" + str(l)])
                v["db" + str(l)] = np.zeros_like(parameters["b" + str(l)])
            return v
        """),
    right("initialize_velocity", "np.zeros of the shape", """
        def initialize_velocity(parameters):
            v = {}
            for l in range(len(parameters) // 2):
                v["dW" + str(l + 1)] = np.zeros((parameters["W" + str(l + 1)].shape[0], parameters["W" + str(l + 1)].shape[1]))
                v["db" + str(l + 1)] = np.zeros((parameters["b" + str(l + 1)].shape[0], 1))
            return v
        """),
    right("initialize_velocity", "comprehension over keys", """
        def initialize_velocity(parameters):
            return {"d" + k: np.zeros_like(w) for k, w in parameters.items()}
        """),
    right("initialize_velocity", "parameter times 0.0", """
        def initialize_velocity(parameters):
            v = {}
            for l in range(1, len(parameters) // 2 + 1):
                v[f"dW{l}"] = parameters[f"W{l}"] * 0.0
                v[f"db{l}"] = 0.0 * parameters[f"b{l}"]
            return v
        """),
]

MOMENTUM = [
    wrong("update_parameters_with_momentum", "beta and 1 - beta swapped", "rel. error", """
        def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
            for l in range(1, len(parameters) // 2 + 1):
                for p in ("W", "b"):
                    g = "d" + p + str(l)
                    v[g] = (1 - beta) * v[g] + beta * grads[g]
                    parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * v[g]
            return parameters, v
        """),
    wrong("update_parameters_with_momentum", "no (1 - beta) on the gradient", "rel. error", """
        def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
            for l in range(1, len(parameters) // 2 + 1):
                for p in ("W", "b"):
                    g = "d" + p + str(l)
                    v[g] = beta * v[g] + grads[g]
                    parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * v[g]
            return parameters, v
        """),
    wrong("update_parameters_with_momentum", "steps along the gradient, not v", "rel. error", """
        def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
            for l in range(1, len(parameters) // 2 + 1):
                for p in ("W", "b"):
                    g = "d" + p + str(l)
                    v[g] = beta * v[g] + (1 - beta) * grads[g]
                    parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * grads[g]
            return parameters, v
        """),
    wrong("update_parameters_with_momentum", "steps with the old v", "rel. error", """
        def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
            for l in range(1, len(parameters) // 2 + 1):
                for p in ("W", "b"):
                    g = "d" + p + str(l)
                    parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * v[g]
                    v[g] = beta * v[g] + (1 - beta) * grads[g]
            return parameters, v
        """),
    wrong("update_parameters_with_momentum", "+= instead of -=", "rel. error", """
        def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
            for l in range(1, len(parameters) // 2 + 1):
                for p in ("W", "b"):
                    g = "d" + p + str(l)
                    v[g] = beta * v[g] + (1 - beta) * grads[g]
                    parameters[p + str(l)] = parameters[p + str(l)] + learning_rate * v[g]
            return parameters, v
        """),
    wrong("update_parameters_with_momentum", "returns the old velocity", "v['dW1']", """
        def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
            new_params = {}
            for l in range(1, len(parameters) // 2 + 1):
                for p in ("W", "b"):
                    g = "d" + p + str(l)
                    velocity = beta * v[g] + (1 - beta) * grads[g]
                    new_params[p + str(l)] = parameters[p + str(l)] - learning_rate * velocity
            return new_params, v
        """),
    wrong("update_parameters_with_momentum", "last layer skipped", "L=1", """
        def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
            for l in range(1, len(parameters) // 2):
                for p in ("W", "b"):
                    g = "d" + p + str(l)
                    v[g] = beta * v[g] + (1 - beta) * grads[g]
                    parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * v[g]
            return parameters, v
        """),
    wrong("update_parameters_with_momentum", "learning rate folded into v", "rel. error", """
        def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
            for l in range(1, len(parameters) // 2 + 1):
                for p in ("W", "b"):
                    g = "d" + p + str(l)
                    v[g] = beta * v[g] + learning_rate * grads[g]
                    parameters[p + str(l)] = parameters[p + str(l)] - v[g]
            return parameters, v
        """),
    wrong("update_parameters_with_momentum", "scales grads in place", "never change grads", """
        def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
            for l in range(1, len(parameters) // 2 + 1):
                for p in ("W", "b"):
                    g = "d" + p + str(l)
                    grads[g] *= 1 - beta
                    v[g] = beta * v[g] + grads[g]
                    parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * v[g]
            return parameters, v
        """),
    wrong("update_parameters_with_momentum", "returns (v, parameters)", "missing key", """
        def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
            for l in range(1, len(parameters) // 2 + 1):
                for p in ("W", "b"):
                    g = "d" + p + str(l)
                    v[g] = beta * v[g] + (1 - beta) * grads[g]
                    parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * v[g]
            return v, parameters
        """),
    right("update_parameters_with_momentum", "beta and 1 - beta as float32", """
        def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
            b, one_minus_b = np.float32(beta), np.float32(1 - beta)
            v_new = {k: b * x + one_minus_b * grads[k] for k, x in v.items()}
            return {k: w - learning_rate * v_new["d" + k] for k, w in parameters.items()}, v_new
        """),
    right("update_parameters_with_momentum", "in-place *= and -=", """
        def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
            for l in range(1, len(parameters) // 2 + 1):
                for p in ("W", "b"):
                    g = f"d{p}{l}"
                    v[g] *= beta
                    v[g] += (1 - beta) * grads[g]
                    parameters[f"{p}{l}"] -= learning_rate * v[g]
            return parameters, v
        """),
    right("update_parameters_with_momentum", "new dicts by comprehension", """
        def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
            v_new = {k: beta * x + (1 - beta) * grads[k] for k, x in v.items()}
            return {k: w - learning_rate * v_new["d" + k] for k, w in parameters.items()}, v_new
        """),
    right("update_parameters_with_momentum", "np.multiply / np.add, course loop", """
        def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
            L = len(parameters) // 2
            for l in range(L):
                v["dW" + str(l + 1)] = np.add(np.multiply(beta, v["dW" + str(l + 1)]), np.multiply(1 - beta, grads["dW" + str(l + 1)]))
                v["db" + str(l + 1)] = np.add(np.multiply(beta, v["db" + str(l + 1)]), np.multiply(1 - beta, grads["db" + str(l + 1)]))
                parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * v["dW" + str(l + 1)]
                parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * v["db" + str(l + 1)]
            return parameters, v
        """),
]

ADAM_INIT = [
    wrong("initialize_adam", "keys W1 instead of dW1", "missing key", """
        def initialize_adam(parameters):
            v, s = {}, {}
            for k, w in parameters.items():
                v[k] = np.zeros_like(w)
                s[k] = np.zeros_like(w)
            return v, s
        """),
    wrong("initialize_adam", "returns v only", "expected a tuple", """
        def initialize_adam(parameters):
            v = {}
            for k, w in parameters.items():
                v["d" + k] = np.zeros_like(w)
            return v
        """),
    wrong("initialize_adam", "s starts at ones", "start at zero", """
        def initialize_adam(parameters):
            v, s = {}, {}
            for k, w in parameters.items():
                v["d" + k] = np.zeros_like(w)
                s["d" + k] = np.ones_like(w)
            return v, s
        """),
    wrong("initialize_adam", "s starts at epsilon", "start at zero", """
        def initialize_adam(parameters):
            v, s = {}, {}
            for k, w in parameters.items():
                v["d" + k] = np.zeros_like(w)
                s["d" + k] = np.full(w.shape, 1e-8)
            return v, s
        """),
    wrong("initialize_adam", "W moments transposed", "has shape", """
        def initialize_adam(parameters):
            v, s = {}, {}
            for l in range(1, len(parameters) // 2 + 1):
                shape = parameters["W" + str(l)].shape[::-1]
                v["dW" + str(l)], s["dW" + str(l)] = np.zeros(shape), np.zeros(shape)
                v["db" + str(l)] = np.zeros_like(parameters["b" + str(l)])
                s["db" + str(l)] = np.zeros_like(parameters["b" + str(l)])
            return v, s
        """),
    wrong("initialize_adam", "last layer skipped", "missing key", """
        def initialize_adam(parameters):
            v, s = {}, {}
            for l in range(1, len(parameters) // 2):
                for p in ("W", "b"):
                    v["d" + p + str(l)] = np.zeros_like(parameters[p + str(l)])
                    s["d" + p + str(l)] = np.zeros_like(parameters[p + str(l)])
            return v, s
        """),
    wrong("initialize_adam", "1-D bias moments", "has shape", """
        def initialize_adam(parameters):
            v, s = {}, {}
            for l in range(1, len(parameters) // 2 + 1):
                v["dW" + str(l)] = np.zeros_like(parameters["W" + str(l)])
                s["dW" + str(l)] = np.zeros_like(parameters["W" + str(l)])
                v["db" + str(l)] = np.zeros(len(parameters["b" + str(l)]))
                s["db" + str(l)] = np.zeros(len(parameters["b" + str(l)]))
            return v, s
        """),
    wrong("initialize_adam", "returns a dict {'v': v, 's': s}", "expected a tuple", """
        def initialize_adam(parameters):
            v = {"d" + k: np.zeros_like(w) for k, w in parameters.items()}
            s = {"d" + k: np.zeros_like(w) for k, w in parameters.items()}
            return {"v": v, "s": s}
        """),
    wrong("initialize_adam", "zeroes the parameters' own arrays", "untouched", """
        def initialize_adam(parameters):
            v, s = {}, {}
            for k in parameters:
                v["d" + k] = parameters[k]
                v["d" + k][...] = 0
                s["d" + k] = np.zeros_like(parameters[k])
            return v, s
        """),
    wrong("initialize_adam", "v = s = {}: one dict returned twice", "one dictionary as both", """
        def initialize_adam(parameters):
            v = s = {}
            for k in parameters:
                v["d" + k] = np.zeros_like(parameters[k])
            return v, s
        """),
    right("initialize_adam", "two comprehensions", """
        def initialize_adam(parameters):
            v = {"d" + k: np.zeros_like(w) for k, w in parameters.items()}
            s = {"d" + k: np.zeros_like(w) for k, w in parameters.items()}
            return v, s
        """),
    right("initialize_adam", "course loop with np.zeros of shapes", """
        def initialize_adam(parameters):
            L = len(parameters) // 2
            v = {}
            s = {}
            for l in range(L):
                v["dW" + str(l + 1)] = np.zeros((parameters["W" + str(l + 1)].shape[0], parameters["W" + str(l + 1)].shape[1]))
                v["db" + str(l + 1)] = np.zeros((parameters["b" + str(l + 1)].shape[0], parameters["b" + str(l + 1)].shape[1]))
                s["dW" + str(l + 1)] = np.zeros((parameters["W" + str(l + 1)].shape[0], parameters["W" + str(l + 1)].shape[1]))
                s["db" + str(l + 1)] = np.zeros((parameters["b" + str(l + 1)].shape[0], parameters["b" + str(l + 1)].shape[1]))
            return v, s
        """),
    right("initialize_adam", "s as a deep copy of v", """
        import copy
        def initialize_adam(parameters):
            v = {}
            for l in range(1, len(parameters) // 2 + 1):
                v[f"dW{l}"] = np.zeros(parameters[f"W{l}"].shape)
                v[f"db{l}"] = np.zeros(parameters[f"b{l}"].shape)
            return v, copy.deepcopy(v)
        """),
]


def _adam(v_line="v[g] = beta1 * v[g] + (1 - beta1) * grads[g]",
          s_line="s[g] = beta2 * s[g] + (1 - beta2) * grads[g] ** 2",
          vc_line="v_corrected[g] = v[g] / (1 - beta1 ** t)",
          sc_line="s_corrected[g] = s[g] / (1 - beta2 ** t)",
          step_line=("parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * "
                     "v_corrected[g] / (np.sqrt(s_corrected[g]) + epsilon)"),
          dicts="v_corrected, s_corrected = {}, {}", layers="range(1, len(parameters) // 2 + 1)",
          returns="parameters, v, s, v_corrected, s_corrected"):
    """A course-style Adam step with one line swapped for a variant's."""
    return f"""
        def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01,
                                        beta1=0.9, beta2=0.999, epsilon=1e-8):
            {dicts}
            for l in {layers}:
                for p in ("W", "b"):
                    g = "d" + p + str(l)
                    {v_line}
                    {s_line}
                    {vc_line}
                    {sc_line}
                    {step_line}
            return {returns}
        """


ADAM = [
    wrong("update_parameters_with_adam", "+= instead of -=", "rel. error", _adam(
        step_line="parameters[p + str(l)] = parameters[p + str(l)] + learning_rate * "
                  "v_corrected[g] / (np.sqrt(s_corrected[g]) + epsilon)")),
    wrong("update_parameters_with_adam", "beta1 and 1 - beta1 swapped", "v['dW1']", _adam(
        v_line="v[g] = (1 - beta1) * v[g] + beta1 * grads[g]")),
    wrong("update_parameters_with_adam", "beta2 and 1 - beta2 swapped", "s['dW1']", _adam(
        s_line="s[g] = (1 - beta2) * s[g] + beta2 * grads[g] ** 2")),
    wrong("update_parameters_with_adam", "bias correction by beta, not beta**t", "1 - beta**t", _adam(
        vc_line="v_corrected[g] = v[g] / (1 - beta1)",
        sc_line="s_corrected[g] = s[g] / (1 - beta2)")),
    wrong("update_parameters_with_adam", "epsilon inside the square root", "outside the square root", _adam(
        step_line="parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * "
                  "v_corrected[g] / np.sqrt(s_corrected[g] + epsilon)")),
    wrong("update_parameters_with_adam", "t counted from 0 (beta**(t + 1))", "v_corrected", _adam(
        vc_line="v_corrected[g] = v[g] / (1 - beta1 ** (t + 1))",
        sc_line="s_corrected[g] = s[g] / (1 - beta2 ** (t + 1))")),
    wrong("update_parameters_with_adam", "v_corrected kept as the state v", "step t=2", _adam(
        vc_line="v[g] = v[g] / (1 - beta1 ** t); v_corrected[g] = v[g]")),
    wrong("update_parameters_with_adam", "s averages grad, not grad**2", "s['dW1']", _adam(
        s_line="s[g] = beta2 * s[g] + (1 - beta2) * grads[g]")),
    wrong("update_parameters_with_adam", "steps with the uncorrected v", "rel. error", _adam(
        step_line="parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * "
                  "v[g] / (np.sqrt(s_corrected[g]) + epsilon)")),
    wrong("update_parameters_with_adam", "v_corrected and s_corrected one dict", "separate dicts", _adam(
        dicts="v_corrected = s_corrected = {}")),
    wrong("update_parameters_with_adam", "s corrected with beta1", "s_corrected", _adam(
        sc_line="s_corrected[g] = s[g] / (1 - beta1 ** t)")),
    wrong("update_parameters_with_adam", "no square root", "rel. error", _adam(
        step_line="parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * "
                  "v_corrected[g] / (s_corrected[g] + epsilon)")),
    wrong("update_parameters_with_adam", "epsilon left out", "zero gradient", _adam(
        step_line="parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * "
                  "v_corrected[g] / np.sqrt(s_corrected[g])")),
    wrong("update_parameters_with_adam", "last layer skipped", "L=1", _adam(
        layers="range(1, len(parameters) // 2)")),
    wrong("update_parameters_with_adam", "squares grads in place", "never change grads", _adam(
        s_line="grads[g] = grads[g]; s[g] = beta2 * s[g] + (1 - beta2) * np.square(grads[g], out=grads[g])")),
    wrong("update_parameters_with_adam", "returns corrected moments as the state", "rel. error", _adam(
        returns="parameters, v_corrected, s_corrected, v_corrected, s_corrected")),
    right("update_parameters_with_adam", "course-style loop", _adam()),
    right("update_parameters_with_adam", "bias corrections in float32", _adam(
        vc_line="v_corrected[g] = v[g] / np.float32(1 - beta1 ** t)",
        sc_line="s_corrected[g] = s[g] / np.float32(1 - beta2 ** t)")),
    right("update_parameters_with_adam", "np.power, ** 0.5 and np.divide", _adam(
        s_line="s[g] = beta2 * s[g] + (1 - beta2) * np.power(grads[g], 2)",
        vc_line="v_corrected[g] = np.divide(v[g], 1 - np.power(beta1, t))",
        step_line="parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * "
                  "np.divide(v_corrected[g], s_corrected[g] ** 0.5 + epsilon)")),
    right("update_parameters_with_adam", "in-place updates of every array", _adam(
        v_line="v[g] *= beta1; v[g] += (1 - beta1) * grads[g]",
        s_line="s[g] *= beta2; s[g] += (1 - beta2) * np.square(grads[g])",
        step_line="parameters[p + str(l)] -= learning_rate * v_corrected[g] / "
                  "(np.sqrt(s_corrected[g]) + epsilon)")),
    right("update_parameters_with_adam", "new dicts by comprehension", """
        def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01,
                                        beta1=0.9, beta2=0.999, epsilon=1e-8):
            v = {k: beta1 * v[k] + (1 - beta1) * g for k, g in grads.items()}
            s = {k: beta2 * s[k] + (1 - beta2) * g * g for k, g in grads.items()}
            v_corrected = {k: x / (1 - beta1 ** t) for k, x in v.items()}
            s_corrected = {k: x / (1 - beta2 ** t) for k, x in s.items()}
            new = {k: w - learning_rate * v_corrected["d" + k] / (np.sqrt(s_corrected["d" + k]) + epsilon)
                   for k, w in parameters.items()}
            return new, v, s, v_corrected, s_corrected
        """),
]

LR = [
    wrong("update_lr", "multiplies instead of dividing", "update_lr(", """
        def update_lr(learning_rate0, epoch_num, decay_rate):
            return learning_rate0 * (1 + decay_rate * epoch_num)
        """),
    wrong("update_lr", "precedence: lr0 / (1 + decay) * epoch", "update_lr(", """
        def update_lr(learning_rate0, epoch_num, decay_rate):
            return learning_rate0 / (1 + decay_rate) * epoch_num
        """),
    wrong("update_lr", "exponential decay", "update_lr(", """
        def update_lr(learning_rate0, epoch_num, decay_rate):
            return learning_rate0 * (1 - decay_rate) ** epoch_num
        """),
    wrong("update_lr", "learning_rate0 forgotten", "update_lr(", """
        def update_lr(learning_rate0, epoch_num, decay_rate):
            return 1 / (1 + decay_rate * epoch_num)
        """),
    wrong("update_lr", "floor division", "update_lr(", """
        def update_lr(learning_rate0, epoch_num, decay_rate):
            return learning_rate0 // (1 + decay_rate * epoch_num)
        """),
    right("update_lr", "denominator in float32", """
        def update_lr(learning_rate0, epoch_num, decay_rate):
            return learning_rate0 / np.float32(1 + decay_rate * epoch_num)
        """),
    right("update_lr", "power -1", """
        def update_lr(learning_rate0, epoch_num, decay_rate):
            return learning_rate0 * (1 + decay_rate * epoch_num) ** -1
        """),
    right("update_lr", "np.divide, numpy scalar", """
        def update_lr(learning_rate0, epoch_num, decay_rate):
            return np.divide(learning_rate0, np.add(1, np.multiply(decay_rate, epoch_num)))
        """),
    right("update_lr", "1-element array", """
        def update_lr(learning_rate0, epoch_num, decay_rate):
            return np.array([learning_rate0]) / (1.0 + decay_rate * epoch_num)
        """),
]

SCHEDULE = [
    wrong("schedule_lr_decay", "no floor", "floor", """
        def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
            return learning_rate0 / (1 + decay_rate * (epoch_num / time_interval))
        """),
    wrong("schedule_lr_decay", "round instead of floor", "floor", """
        def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
            return learning_rate0 / (1 + decay_rate * round(epoch_num / time_interval))
        """),
    wrong("schedule_lr_decay", "ceil instead of floor", "floor", """
        import math
        def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
            return learning_rate0 / (1 + decay_rate * math.ceil(epoch_num / time_interval))
        """),
    wrong("schedule_lr_decay", "decays every epoch", "may only change", """
        def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
            return learning_rate0 / (1 + decay_rate * epoch_num)
        """),
    wrong("schedule_lr_decay", "remainder instead of quotient", "floor", """
        def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
            return learning_rate0 / (1 + decay_rate * (epoch_num % time_interval))
        """),
    wrong("schedule_lr_decay", "default time_interval 100", "default time_interval", """
        import numpy as np
        def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=100):
            return learning_rate0 / (1 + decay_rate * np.floor(epoch_num / time_interval))
        """),
    right("schedule_lr_decay", "denominator in float32", """
        def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
            return learning_rate0 / np.float32(1 + decay_rate * (epoch_num // time_interval))
        """),
    right("schedule_lr_decay", "np.floor", """
        def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
            return learning_rate0 / (1 + decay_rate * np.floor(epoch_num / time_interval))
        """),
    right("schedule_lr_decay", "int() of the quotient", """
        def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
            steps = int(epoch_num / time_interval)
            return learning_rate0 / (1 + decay_rate * steps)
        """),
    right("schedule_lr_decay", "math.floor, calls update_lr's formula", """
        import math
        def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
            k = math.floor(epoch_num / time_interval)
            return learning_rate0 * 1.0 / (1.0 + decay_rate * k)
        """),
]

VARIANTS = GD + MINI_BATCHES + VELOCITY + MOMENTUM + ADAM_INIT + ADAM + LR + SCHEDULE
