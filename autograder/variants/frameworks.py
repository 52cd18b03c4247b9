"""Variants of the `frameworks` graded functions (Part 1, numpy).

Wrong ones are slips we expect from students; right ones are correct answers
written another way (they must keep full marks).  Sources run beside the
reference's names (np, relu, one_hot, and the other graded functions), as a
student's notebook has them.  Self-contained: only Variant, wrong and right
come from autograder.variants.

Decisions taken here:
- dZ = (AL - Y) / m from softmax_backward is WRONG in this notebook: the
  notebook states dZ = AL - Y (the course's convention, 1/m in dW) and a
  grader pins it.
- np.var / np.std with their default ddof = 0 are RIGHT (the biased variance
  batch norm uses); ddof = 1 is WRONG.
- A guard inside the log (np.log(AL + 1e-12), np.clip) is RIGHT.
"""
from autograder.variants import right, wrong

HYPER = "sample_hyperparameters"
SOFTMAX = "softmax"
COST = "compute_softmax_cost"
SMB = "softmax_backward"
BNF = "batchnorm_forward"
BNB = "batchnorm_backward"
RUN = "update_running_averages"
BNI = "batchnorm_inference"

# Functions of one or two lines: fewer realistic variants exist.
ONE_LINERS = {SMB: (5, 3), RUN: (6, 3), BNI: (6, 3)}

VARIANTS = [
    # ------------------------------------------------ sample_hyperparameters
    wrong(HYPER, "learning rate uniform on [1e-4, 1] (linear scale)", "not uniform on [-4, 0]", """
        def sample_hyperparameters(n, n_h_range=(10, 100)):
            lr = np.random.uniform(1e-4, 1, n)
            beta = 1 - 10 ** np.random.uniform(-3, -1, n)
            n_h = np.random.randint(n_h_range[0], n_h_range[1] + 1, n)
            return {"learning_rate": lr, "beta": beta, "n_h": n_h}
        """),
    wrong(HYPER, "exponent -3 * rand: rates in [1e-3, 1]", "not uniform on [-4, 0]", """
        def sample_hyperparameters(n, n_h_range=(10, 100)):
            r = -3 * np.random.rand(n)
            beta = 1 - 10 ** np.random.uniform(-3, -1, n)
            n_h = np.random.randint(n_h_range[0], n_h_range[1] + 1, n)
            return {"learning_rate": 10 ** r, "beta": beta, "n_h": n_h}
        """),
    wrong(HYPER, "beta uniform on [0.9, 0.999] (linear scale)", "log10(1 - beta)", """
        def sample_hyperparameters(n, n_h_range=(10, 100)):
            r = -4 * np.random.rand(n)
            beta = np.random.uniform(0.9, 0.999, n)
            n_h = np.random.randint(n_h_range[0], n_h_range[1] + 1, n)
            return {"learning_rate": 10 ** r, "beta": beta, "n_h": n_h}
        """),
    wrong(HYPER, "beta = 10**u instead of 1 - 10**u", "beta ranges", """
        def sample_hyperparameters(n, n_h_range=(10, 100)):
            r = -4 * np.random.rand(n)
            beta = 10 ** np.random.uniform(-3, -1, n)
            n_h = np.random.randint(n_h_range[0], n_h_range[1] + 1, n)
            return {"learning_rate": 10 ** r, "beta": beta, "n_h": n_h}
        """),
    wrong(HYPER, "randint(low, high) leaves out high", "never took the value", """
        def sample_hyperparameters(n, n_h_range=(10, 100)):
            r = -4 * np.random.rand(n)
            beta = 1 - 10 ** np.random.uniform(-3, -1, n)
            n_h = np.random.randint(n_h_range[0], n_h_range[1], n)
            return {"learning_rate": 10 ** r, "beta": beta, "n_h": n_h}
        """),
    wrong(HYPER, "the same uniform for the rate and beta", "correlated", """
        def sample_hyperparameters(n, n_h_range=(10, 100)):
            u = np.random.rand(n)
            lr = 10 ** (-4 * u)
            beta = 1 - 10 ** (-3 + 2 * u)
            n_h = np.random.randint(n_h_range[0], n_h_range[1] + 1, n)
            return {"learning_rate": lr, "beta": beta, "n_h": n_h}
        """),
    wrong(HYPER, "reseeds the RNG inside", "do not reseed", """
        def sample_hyperparameters(n, n_h_range=(10, 100)):
            np.random.seed(1)
            r = -4 * np.random.rand(n)
            beta = 1 - 10 ** np.random.uniform(-3, -1, n)
            n_h = np.random.randint(n_h_range[0], n_h_range[1] + 1, n)
            return {"learning_rate": 10 ** r, "beta": beta, "n_h": n_h}
        """),
    wrong(HYPER, "a Generator instead of the global RNG", "global", """
        def sample_hyperparameters(n, n_h_range=(10, 100)):
            rng = np.random.default_rng()
            r = -4 * rng.random(n)
            beta = 1 - 10 ** rng.uniform(-3, -1, n)
            n_h = rng.integers(n_h_range[0], n_h_range[1] + 1, n)
            return {"learning_rate": 10 ** r, "beta": beta, "n_h": n_h}
        """),
    wrong(HYPER, "n_h uniform real, not whole units", "non-integers", """
        def sample_hyperparameters(n, n_h_range=(10, 100)):
            r = -4 * np.random.rand(n)
            beta = 1 - 10 ** np.random.uniform(-3, -1, n)
            n_h = np.random.uniform(n_h_range[0], n_h_range[1], n)
            return {"learning_rate": 10 ** r, "beta": beta, "n_h": n_h}
        """),
    wrong(HYPER, "n_h ignores the range argument", "n_h ranges", """
        def sample_hyperparameters(n, n_h_range=(10, 100)):
            r = -4 * np.random.rand(n)
            beta = 1 - 10 ** np.random.uniform(-3, -1, n)
            n_h = np.random.randint(10, 101, n)
            return {"learning_rate": 10 ** r, "beta": beta, "n_h": n_h}
        """),
    right(HYPER, "np.random.uniform on the exponent, one draw at a time", """
        def sample_hyperparameters(n, n_h_range=(10, 100)):
            lr, beta, n_h = [], [], []
            for _ in range(n):
                lr.append(10 ** np.random.uniform(-4, 0))
                beta.append(1 - 10 ** np.random.uniform(-3, -1))
                n_h.append(np.random.randint(n_h_range[0], n_h_range[1] + 1))
            return {"learning_rate": np.array(lr), "beta": np.array(beta), "n_h": np.array(n_h)}
        """),
    right(HYPER, "np.power and np.random.random_sample, n_h drawn first", """
        def sample_hyperparameters(n, n_h_range=(10, 100)):
            low, high = n_h_range
            n_h = np.floor(low + (high - low + 1) * np.random.random_sample(n)).astype(int)
            lr = np.power(10.0, np.random.random_sample(n) * -4)
            beta = 1 - np.power(10.0, -1 - 2 * np.random.random_sample(n))
            return {"n_h": n_h, "learning_rate": lr, "beta": beta}
        """),
    right(HYPER, "exp of a uniform natural log", """
        def sample_hyperparameters(n, n_h_range=(10, 100)):
            lr = np.exp(np.random.uniform(np.log(1e-4), np.log(1.0), size=n))
            beta = 1 - np.exp(np.random.uniform(np.log(1e-3), np.log(1e-1), size=n))
            n_h = np.random.choice(np.arange(n_h_range[0], n_h_range[1] + 1), size=n)
            return {"learning_rate": lr, "beta": beta, "n_h": n_h}
        """),

    # ------------------------------------------------------------- softmax
    wrong(SOFTMAX, "no max subtracted: overflows at 1000", "overflows", """
        def softmax(Z):
            e = np.exp(Z)
            return e / np.sum(e, axis=0, keepdims=True)
        """),
    wrong(SOFTMAX, "normalized over the rows (axis=1)", "sums to", """
        def softmax(Z):
            e = np.exp(Z - np.max(Z, axis=1, keepdims=True))
            return e / np.sum(e, axis=1, keepdims=True)
        """),
    wrong(SOFTMAX, "one sum over the whole matrix", "sums to", """
        def softmax(Z):
            e = np.exp(Z - np.max(Z))
            return e / np.sum(e)
        """),
    wrong(SOFTMAX, "the global max subtracted: columns far below it underflow", "NaN", """
        def softmax(Z):
            e = np.exp(Z - np.max(Z))
            return e / np.sum(e, axis=0, keepdims=True)
        """),
    wrong(SOFTMAX, "subtracts each row's max", "NaN", """
        def softmax(Z):
            e = np.exp(Z - np.max(Z, axis=1, keepdims=True))
            return e / np.sum(e, axis=0, keepdims=True)
        """),
    wrong(SOFTMAX, "subtracts the max in place", "modified its argument Z", """
        def softmax(Z):
            Z -= np.max(Z, axis=0, keepdims=True)
            e = np.exp(Z)
            return e / np.sum(e, axis=0, keepdims=True)
        """),
    wrong(SOFTMAX, "sigmoid per entry", "sums to", """
        def softmax(Z):
            return 1 / (1 + np.exp(-Z))
        """),
    wrong(SOFTMAX, "Z / sum(Z) without exp", "softmax", """
        def softmax(Z):
            return Z / np.sum(Z, axis=0, keepdims=True)
        """),
    wrong(SOFTMAX, "exp of the max-shifted Z without normalizing", "sums to", """
        def softmax(Z):
            return np.exp(Z - np.max(Z, axis=0, keepdims=True))
        """),
    right(SOFTMAX, "log-sum-exp", """
        def softmax(Z):
            top = np.max(Z, axis=0)
            log_norm = top + np.log(np.sum(np.exp(Z - top), axis=0))
            return np.exp(Z - log_norm)
        """),
    right(SOFTMAX, "transposes, rows as examples", """
        def softmax(Z):
            T = Z.T - Z.T.max(axis=1)[:, None]
            e = np.exp(T)
            return (e / e.sum(axis=1)[:, None]).T
        """),
    right(SOFTMAX, "a loop over the columns", """
        def softmax(Z):
            A = np.empty_like(Z, dtype=float)
            for j in range(Z.shape[1]):
                e = np.exp(Z[:, j] - Z[:, j].max())
                A[:, j] = e / e.sum()
            return A
        """),

    # ------------------------------------------------ compute_softmax_cost
    wrong(COST, "sum instead of mean", "mean over the m examples", """
        def compute_softmax_cost(AL, Y):
            return float(-np.sum(Y * np.log(AL)))
        """),
    wrong(COST, "mean over all C * m entries", "the cost", """
        def compute_softmax_cost(AL, Y):
            return float(-np.mean(Y * np.log(AL)))
        """),
    wrong(COST, "the binary cross-entropy's (1 - Y) term added", "only log AL at the true class", """
        def compute_softmax_cost(AL, Y):
            m = Y.shape[1]
            return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)
        """),
    wrong(COST, "sign forgotten", "the cost", """
        def compute_softmax_cost(AL, Y):
            m = Y.shape[1]
            return float(np.sum(Y * np.log(AL)) / m)
        """),
    wrong(COST, "log base 10", "the cost", """
        def compute_softmax_cost(AL, Y):
            m = Y.shape[1]
            return float(-np.sum(Y * np.log10(AL)) / m)
        """),
    wrong(COST, "m from Y.shape[0] (the number of classes)", "the cost", """
        def compute_softmax_cost(AL, Y):
            m = Y.shape[0]
            return float(-np.sum(Y * np.log(AL)) / m)
        """),
    wrong(COST, "log of the summed probabilities", "the cost", """
        def compute_softmax_cost(AL, Y):
            m = Y.shape[1]
            return float(-np.sum(np.log(np.sum(Y * AL, axis=1))) / m)
        """),
    wrong(COST, "returns the per-example losses", "expected a number", """
        def compute_softmax_cost(AL, Y):
            return -np.sum(Y * np.log(AL), axis=0)
        """),
    wrong(COST, "log of the largest probability, not the true class's", "the cost", """
        def compute_softmax_cost(AL, Y):
            return float(-np.mean(np.log(AL.max(axis=0))))
        """),
    right(COST, "a guard inside the log", """
        def compute_softmax_cost(AL, Y):
            m = Y.shape[1]
            return -np.sum(Y * np.log(AL + 1e-12)) / m
        """),
    right(COST, "picks the true class with argmax", """
        def compute_softmax_cost(AL, Y):
            labels = np.argmax(Y, axis=0)
            return -np.mean(np.log(AL[labels, np.arange(AL.shape[1])]))
        """),
    right(COST, "np.squeeze of a (1, 1) matrix product", """
        def compute_softmax_cost(AL, Y):
            m = Y.shape[1]
            cost = -np.sum(np.multiply(Y, np.log(np.clip(AL, 1e-12, 1.0)))) / m
            return np.squeeze(cost)
        """),

    # ---------------------------------------------------- softmax_backward
    wrong(SMB, "dZ = (AL - Y) / m", "convention", """
        def softmax_backward(AL, Y):
            return (AL - Y) / Y.shape[1]
        """),
    wrong(SMB, "dZ = Y - AL", "dZ", """
        def softmax_backward(AL, Y):
            return Y - AL
        """),
    wrong(SMB, "the sigmoid's AL * (1 - AL) factor", "dZ", """
        def softmax_backward(AL, Y):
            return (AL - Y) * AL * (1 - AL)
        """),
    wrong(SMB, "-Y / AL, the gradient with respect to AL", "dZ", """
        def softmax_backward(AL, Y):
            return -Y / AL
        """),
    wrong(SMB, "AL - 1 everywhere", "dZ", """
        def softmax_backward(AL, Y):
            return AL - 1
        """),
    right(SMB, "np.subtract", """
        def softmax_backward(AL, Y):
            return np.subtract(AL, Y)
        """),
    right(SMB, "a copy, then the true class reduced by 1", """
        def softmax_backward(AL, Y):
            dZ = AL.copy()
            labels = Y.argmax(axis=0)
            dZ[labels, np.arange(Y.shape[1])] -= 1
            return dZ
        """),
    right(SMB, "float64 explicitly", """
        def softmax_backward(AL, Y):
            return AL.astype(np.float64) - Y.astype(np.float64)
        """),

    # --------------------------------------------------- batchnorm_forward
    wrong(BNF, "unbiased variance (ddof=1)", "variance", """
        def batchnorm_forward(Z, gamma, beta, eps=1e-5):
            mu = np.mean(Z, axis=1, keepdims=True)
            var = np.var(Z, axis=1, keepdims=True, ddof=1)
            Z_norm = (Z - mu) / np.sqrt(var + eps)
            return gamma * Z_norm + beta, (Z, Z_norm, mu, var, gamma, beta, eps)
        """),
    wrong(BNF, "eps outside the square root", "eps goes inside", """
        def batchnorm_forward(Z, gamma, beta, eps=1e-5):
            mu = np.mean(Z, axis=1, keepdims=True)
            var = np.var(Z, axis=1, keepdims=True)
            Z_norm = (Z - mu) / (np.sqrt(var) + eps)
            return gamma * Z_norm + beta, (Z, Z_norm, mu, var, gamma, beta, eps)
        """),
    wrong(BNF, "statistics over the units (axis=0)", "mean", """
        def batchnorm_forward(Z, gamma, beta, eps=1e-5):
            mu = np.mean(Z, axis=0, keepdims=True)
            var = np.var(Z, axis=0, keepdims=True)
            Z_norm = (Z - mu) / np.sqrt(var + eps)
            return gamma * Z_norm + beta, (Z, Z_norm, mu, var, gamma, beta, eps)
        """),
    wrong(BNF, "divides by the variance, not its square root", "variance", """
        def batchnorm_forward(Z, gamma, beta, eps=1e-5):
            mu = np.mean(Z, axis=1, keepdims=True)
            var = np.var(Z, axis=1, keepdims=True)
            Z_norm = (Z - mu) / (var + eps)
            return gamma * Z_norm + beta, (Z, Z_norm, mu, var, gamma, beta, eps)
        """),
    wrong(BNF, "gamma and beta swapped", "Z_out", """
        def batchnorm_forward(Z, gamma, beta, eps=1e-5):
            mu = np.mean(Z, axis=1, keepdims=True)
            var = np.var(Z, axis=1, keepdims=True)
            Z_norm = (Z - mu) / np.sqrt(var + eps)
            return beta * Z_norm + gamma, (Z, Z_norm, mu, var, gamma, beta, eps)
        """),
    wrong(BNF, "gamma and beta forgotten", "Z_out", """
        def batchnorm_forward(Z, gamma, beta, eps=1e-5):
            mu = np.mean(Z, axis=1, keepdims=True)
            var = np.var(Z, axis=1, keepdims=True)
            Z_norm = (Z - mu) / np.sqrt(var + eps)
            return Z_norm, (Z, Z_norm, mu, var, gamma, beta, eps)
        """),
    wrong(BNF, "no eps: a constant row gives NaN", "NaN", """
        def batchnorm_forward(Z, gamma, beta, eps=1e-5):
            mu = np.mean(Z, axis=1, keepdims=True)
            var = np.var(Z, axis=1, keepdims=True)
            Z_norm = (Z - mu) / np.sqrt(var)
            return gamma * Z_norm + beta, (Z, Z_norm, mu, var, gamma, beta, eps)
        """),
    wrong(BNF, "the standard deviation cached as var", "cache entry var", """
        def batchnorm_forward(Z, gamma, beta, eps=1e-5):
            mu = np.mean(Z, axis=1, keepdims=True)
            std = np.std(Z, axis=1, keepdims=True)
            Z_norm = (Z - mu) / np.sqrt(std ** 2 + eps)
            return gamma * Z_norm + beta, (Z, Z_norm, mu, std, gamma, beta, eps)
        """),
    wrong(BNF, "Z centred in place", "changed Z, gamma and beta in place", """
        def batchnorm_forward(Z, gamma, beta, eps=1e-5):
            mu = np.mean(Z, axis=1, keepdims=True)
            var = np.var(Z, axis=1, keepdims=True)
            Z -= mu
            Z_norm = Z / np.sqrt(var + eps)
            return gamma * Z_norm + beta, (Z + mu, Z_norm, mu, var, gamma, beta, eps)
        """),
    wrong(BNF, "the scalar mean of the whole batch", "mean", """
        def batchnorm_forward(Z, gamma, beta, eps=1e-5):
            mu = np.mean(Z)
            var = np.var(Z, axis=1, keepdims=True)
            Z_norm = (Z - mu) / np.sqrt(var + eps)
            return gamma * Z_norm + beta, (Z, Z_norm, mu * np.ones_like(var), var, gamma, beta, eps)
        """),
    right(BNF, "np.var and np.mean", """
        def batchnorm_forward(Z, gamma, beta, eps=1e-5):
            mu = np.mean(Z, axis=1, keepdims=True)
            var = np.var(Z, axis=1, keepdims=True)
            Z_norm = (Z - mu) / np.sqrt(var + eps)
            Z_out = gamma * Z_norm + beta
            cache = (Z, Z_norm, mu, var, gamma, beta, eps)
            return Z_out, cache
        """),
    right(BNF, "sums divided by m, a list as the cache", """
        def batchnorm_forward(Z, gamma, beta, eps=1e-5):
            m = Z.shape[1]
            mu = np.sum(Z, axis=1, keepdims=True) / m
            centred = Z - mu
            var = np.sum(centred * centred, axis=1, keepdims=True) / m
            inv_std = 1.0 / np.sqrt(var + eps)
            Z_norm = centred * inv_std
            return Z_norm * gamma + beta, [Z, Z_norm, mu, var, gamma, beta, eps]
        """),
    right(BNF, "E[Z^2] - E[Z]^2", """
        def batchnorm_forward(Z, gamma, beta, eps=1e-5):
            mu = Z.mean(axis=1)[:, None]
            var = np.mean(Z ** 2, axis=1)[:, None] - mu ** 2
            var = np.maximum(var, 0.0)
            var = ((Z - mu) ** 2).mean(axis=1, keepdims=True) if np.any(var < 1e-6) else var
            Z_norm = (Z - mu) / np.sqrt(var + eps)
            return gamma * Z_norm + beta, (Z, Z_norm, mu, var, gamma, beta, eps)
        """),

    # -------------------------------------------------- batchnorm_backward
    wrong(BNB, "mu and var treated as constants", "mu and var depend on Z", """
        def batchnorm_backward(dZ_out, cache):
            Z, Z_norm, mu, var, gamma, beta, eps = cache
            dZ = dZ_out * gamma / np.sqrt(var + eps)
            dgamma = np.sum(dZ_out * Z_norm, axis=1, keepdims=True)
            dbeta = np.sum(dZ_out, axis=1, keepdims=True)
            return dZ, dgamma, dbeta
        """),
    wrong(BNB, "only mu's dependence kept", "mu and var depend on Z", """
        def batchnorm_backward(dZ_out, cache):
            Z, Z_norm, mu, var, gamma, beta, eps = cache
            dZ_norm = dZ_out * gamma
            dZ = (dZ_norm - dZ_norm.mean(axis=1, keepdims=True)) / np.sqrt(var + eps)
            dgamma = np.sum(dZ_out * Z_norm, axis=1, keepdims=True)
            dbeta = np.sum(dZ_out, axis=1, keepdims=True)
            return dZ, dgamma, dbeta
        """),
    wrong(BNB, "dgamma without Z_norm", "dgamma", """
        def batchnorm_backward(dZ_out, cache):
            Z, Z_norm, mu, var, gamma, beta, eps = cache
            dZ_norm = dZ_out * gamma
            dZ = (dZ_norm - dZ_norm.mean(axis=1, keepdims=True)
                  - Z_norm * (dZ_norm * Z_norm).mean(axis=1, keepdims=True)) / np.sqrt(var + eps)
            return dZ, np.sum(dZ_out, axis=1, keepdims=True), np.sum(dZ_out, axis=1, keepdims=True)
        """),
    wrong(BNB, "dbeta summed over the units", "dbeta", """
        def batchnorm_backward(dZ_out, cache):
            Z, Z_norm, mu, var, gamma, beta, eps = cache
            dZ_norm = dZ_out * gamma
            dZ = (dZ_norm - dZ_norm.mean(axis=1, keepdims=True)
                  - Z_norm * (dZ_norm * Z_norm).mean(axis=1, keepdims=True)) / np.sqrt(var + eps)
            dgamma = np.sum(dZ_out * Z_norm, axis=1, keepdims=True)
            return dZ, dgamma, np.sum(dZ_out, axis=0, keepdims=True)
        """),
    wrong(BNB, "dgamma averaged over the examples", "dgamma", """
        def batchnorm_backward(dZ_out, cache):
            Z, Z_norm, mu, var, gamma, beta, eps = cache
            dZ_norm = dZ_out * gamma
            dZ = (dZ_norm - dZ_norm.mean(axis=1, keepdims=True)
                  - Z_norm * (dZ_norm * Z_norm).mean(axis=1, keepdims=True)) / np.sqrt(var + eps)
            dgamma = np.mean(dZ_out * Z_norm, axis=1, keepdims=True)
            dbeta = np.mean(dZ_out, axis=1, keepdims=True)
            return dZ, dgamma, dbeta
        """),
    wrong(BNB, "gamma forgotten in dZ", "dZ", """
        def batchnorm_backward(dZ_out, cache):
            Z, Z_norm, mu, var, gamma, beta, eps = cache
            dZ_norm = dZ_out
            dZ = (dZ_norm - dZ_norm.mean(axis=1, keepdims=True)
                  - Z_norm * (dZ_norm * Z_norm).mean(axis=1, keepdims=True)) / np.sqrt(var + eps)
            dgamma = np.sum(dZ_out * Z_norm, axis=1, keepdims=True)
            dbeta = np.sum(dZ_out, axis=1, keepdims=True)
            return dZ, dgamma, dbeta
        """),
    wrong(BNB, "dvar with the wrong sign", "dZ", """
        def batchnorm_backward(dZ_out, cache):
            Z, Z_norm, mu, var, gamma, beta, eps = cache
            m = Z.shape[1]
            dZ_norm = dZ_out * gamma
            dvar = np.sum(dZ_norm * (Z - mu), axis=1, keepdims=True) * 0.5 * (var + eps) ** -1.5
            dmu = -np.sum(dZ_norm, axis=1, keepdims=True) / np.sqrt(var + eps)
            dZ = dZ_norm / np.sqrt(var + eps) + dvar * 2 * (Z - mu) / m + dmu / m
            dgamma = np.sum(dZ_out * Z_norm, axis=1, keepdims=True)
            dbeta = np.sum(dZ_out, axis=1, keepdims=True)
            return dZ, dgamma, dbeta
        """),
    wrong(BNB, "dgamma and dbeta without keepdims", "dgamma has shape", """
        def batchnorm_backward(dZ_out, cache):
            Z, Z_norm, mu, var, gamma, beta, eps = cache
            dZ_norm = dZ_out * gamma
            dZ = (dZ_norm - dZ_norm.mean(axis=1, keepdims=True)
                  - Z_norm * (dZ_norm * Z_norm).mean(axis=1, keepdims=True)) / np.sqrt(var + eps)
            return dZ, np.sum(dZ_out * Z_norm, axis=1), np.sum(dZ_out, axis=1)
        """),
    wrong(BNB, "divides by var instead of its square root", "dZ", """
        def batchnorm_backward(dZ_out, cache):
            Z, Z_norm, mu, var, gamma, beta, eps = cache
            dZ_norm = dZ_out * gamma
            dZ = (dZ_norm - dZ_norm.mean(axis=1, keepdims=True)
                  - Z_norm * (dZ_norm * Z_norm).mean(axis=1, keepdims=True)) / (var + eps)
            dgamma = np.sum(dZ_out * Z_norm, axis=1, keepdims=True)
            dbeta = np.sum(dZ_out, axis=1, keepdims=True)
            return dZ, dgamma, dbeta
        """),
    right(BNB, "the step-by-step graph (dvar, dmu)", """
        def batchnorm_backward(dZ_out, cache):
            Z, Z_norm, mu, var, gamma, beta, eps = cache
            m = Z.shape[1]
            dZ_norm = dZ_out * gamma
            inv_std = 1 / np.sqrt(var + eps)
            dvar = np.sum(dZ_norm * (Z - mu), axis=1, keepdims=True) * -0.5 * inv_std ** 3
            dmu = -np.sum(dZ_norm, axis=1, keepdims=True) * inv_std + dvar * np.mean(-2 * (Z - mu), axis=1, keepdims=True)
            dZ = dZ_norm * inv_std + dvar * 2 * (Z - mu) / m + dmu / m
            dgamma = np.sum(dZ_out * Z_norm, axis=1, keepdims=True)
            dbeta = np.sum(dZ_out, axis=1, keepdims=True)
            return dZ, dgamma, dbeta
        """),
    right(BNB, "the compact formula with m", """
        def batchnorm_backward(dZ_out, cache):
            Z, Z_norm, mu, var, gamma, beta, eps = cache
            m = Z.shape[1]
            dbeta = dZ_out.sum(axis=1, keepdims=True)
            dgamma = (dZ_out * Z_norm).sum(axis=1, keepdims=True)
            dZ = gamma / (m * np.sqrt(var + eps)) * (m * dZ_out - dbeta - Z_norm * dgamma)
            return dZ, dgamma, dbeta
        """),
    right(BNB, "a list returned, Z_norm recomputed from Z", """
        def batchnorm_backward(dZ_out, cache):
            Z, _, mu, var, gamma, beta, eps = cache
            xhat = (Z - mu) / np.sqrt(var + eps)
            g = dZ_out * gamma
            dZ = (g - np.mean(g, axis=1, keepdims=True) - xhat * np.mean(g * xhat, axis=1, keepdims=True)) / np.sqrt(var + eps)
            return [dZ, np.sum(dZ_out * xhat, axis=1, keepdims=True), np.sum(dZ_out, axis=1, keepdims=True)]
        """),

    # ---------------------------------------------- update_running_averages
    wrong(RUN, "momentum and 1 - momentum swapped", "running = momentum", """
        def update_running_averages(running_mu, running_var, mu, var, momentum=0.9):
            return ((1 - momentum) * running_mu + momentum * mu,
                    (1 - momentum) * running_var + momentum * var)
        """),
    wrong(RUN, "the batch statistics replace the averages", "running = momentum", """
        def update_running_averages(running_mu, running_var, mu, var, momentum=0.9):
            return mu, var
        """),
    wrong(RUN, "bias correction by 1 - momentum", "running = momentum", """
        def update_running_averages(running_mu, running_var, mu, var, momentum=0.9):
            new_mu = momentum * running_mu + (1 - momentum) * mu
            new_var = momentum * running_var + (1 - momentum) * var
            return new_mu / (1 - momentum), new_var / (1 - momentum)
        """),
    wrong(RUN, "var averaged with mu", "running_var", """
        def update_running_averages(running_mu, running_var, mu, var, momentum=0.9):
            return (momentum * running_mu + (1 - momentum) * mu,
                    momentum * running_var + (1 - momentum) * mu)
        """),
    wrong(RUN, "returns (running_var, running_mu)", "running", """
        def update_running_averages(running_mu, running_var, mu, var, momentum=0.9):
            return (momentum * running_var + (1 - momentum) * var,
                    momentum * running_mu + (1 - momentum) * mu)
        """),
    wrong(RUN, "updates the running arrays in place", "changed the running and batch statistics", """
        def update_running_averages(running_mu, running_var, mu, var, momentum=0.9):
            running_mu *= momentum
            running_mu += (1 - momentum) * mu
            running_var *= momentum
            running_var += (1 - momentum) * var
            return running_mu, running_var
        """),
    right(RUN, "running + (1 - momentum) * (batch - running)", """
        def update_running_averages(running_mu, running_var, mu, var, momentum=0.9):
            new_mu = running_mu + (1 - momentum) * (mu - running_mu)
            new_var = running_var + (1 - momentum) * (var - running_var)
            return new_mu, new_var
        """),
    right(RUN, "copies updated in place", """
        def update_running_averages(running_mu, running_var, mu, var, momentum=0.9):
            out_mu, out_var = running_mu.copy(), running_var.copy()
            out_mu *= momentum
            out_mu += (1 - momentum) * mu
            out_var *= momentum
            out_var += (1 - momentum) * var
            return out_mu, out_var
        """),
    right(RUN, "a list", """
        def update_running_averages(running_mu, running_var, mu, var, momentum=0.9):
            return [momentum * r + (1 - momentum) * s for r, s in ((running_mu, mu), (running_var, var))]
        """),

    # ------------------------------------------------- batchnorm_inference
    wrong(BNI, "the batch's own statistics", "this batch's mean and variance", """
        def batchnorm_inference(Z, gamma, beta, running_mu, running_var, eps=1e-5):
            mu = np.mean(Z, axis=1, keepdims=True)
            var = np.var(Z, axis=1, keepdims=True)
            return gamma * (Z - mu) / np.sqrt(var + eps) + beta
        """),
    wrong(BNI, "running_var used as a standard deviation", "Z_out", """
        def batchnorm_inference(Z, gamma, beta, running_mu, running_var, eps=1e-5):
            return gamma * (Z - running_mu) / (running_var + eps) + beta
        """),
    wrong(BNI, "beta forgotten", "Z_out", """
        def batchnorm_inference(Z, gamma, beta, running_mu, running_var, eps=1e-5):
            return gamma * (Z - running_mu) / np.sqrt(running_var + eps)
        """),
    wrong(BNI, "eps outside the square root", "Z_out", """
        def batchnorm_inference(Z, gamma, beta, running_mu, running_var, eps=1e-5):
            return gamma * (Z - running_mu) / (np.sqrt(running_var) + eps) + beta
        """),
    wrong(BNI, "the batch mean with the running variance", "Z_out", """
        def batchnorm_inference(Z, gamma, beta, running_mu, running_var, eps=1e-5):
            mu = Z.mean(axis=1, keepdims=True)
            return gamma * (Z - mu) / np.sqrt(running_var + eps) + beta
        """),
    wrong(BNI, "gamma and beta swapped", "Z_out", """
        def batchnorm_inference(Z, gamma, beta, running_mu, running_var, eps=1e-5):
            return beta * (Z - running_mu) / np.sqrt(running_var + eps) + gamma
        """),
    right(BNI, "scale and shift folded first", """
        def batchnorm_inference(Z, gamma, beta, running_mu, running_var, eps=1e-5):
            scale = gamma / np.sqrt(running_var + eps)
            shift = beta - scale * running_mu
            return scale * Z + shift
        """),
    right(BNI, "Z_norm then gamma, beta", """
        def batchnorm_inference(Z, gamma, beta, running_mu, running_var, eps=1e-5):
            Z_norm = (Z - running_mu) / np.sqrt(running_var + eps)
            return gamma * Z_norm + beta
        """),
    right(BNI, "a loop over the examples", """
        def batchnorm_inference(Z, gamma, beta, running_mu, running_var, eps=1e-5):
            out = np.zeros(Z.shape)
            for j in range(Z.shape[1]):
                out[:, j:j + 1] = gamma * (Z[:, j:j + 1] - running_mu) / np.sqrt(running_var + eps) + beta
            return out
        """),
]

# ================================================== Part 2: TensorFlow
# Sources run beside the reference's names, numpy_io included (the notebook
# gives the decorator line); each imports TensorFlow as the notebook does.
OH, INIT, FWD, LOSS, STEP = ("one_hot_matrix", "initialize_parameters", "forward_propagation",
                             "compute_total_loss", "train_step")
ONE_LINERS.update({OH: (4, 3), LOSS: (6, 3), INIT: (6, 3), FWD: (6, 3), STEP: (6, 3)})

_STEP_BODY = """
        @numpy_io
        def train_step(X, Y, parameters, optimizer):
            import tensorflow as tf
            variables = [parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3")]
            with tf.GradientTape() as tape:
                loss = {loss}
            grads = tape.gradient(loss, variables)
            {apply}
            return {ret}
        """
_LOSS_OK = "compute_total_loss(forward_propagation(X, parameters), Y)"
_APPLY_OK = "optimizer.apply_gradients(zip(grads, variables))"


def _step(loss=_LOSS_OK, apply=_APPLY_OK, ret="loss"):
    return _STEP_BODY.format(loss=loss, apply=apply, ret=ret)


VARIANTS += [
    # ---------------------------------------------------------- one_hot_matrix
    wrong(OH, "one example per row (axis=-1)", "one_hot_matrix", """
        @numpy_io
        def one_hot_matrix(labels, depth=6):
            import tensorflow as tf
            return tf.one_hot(labels, depth)
        """),
    wrong(OH, "depth fixed at 6", "one_hot_matrix", """
        @numpy_io
        def one_hot_matrix(labels, depth=6):
            import tensorflow as tf
            return tf.one_hot(labels, 6, axis=0)
        """),
    wrong(OH, "the labels shifted by one", "single 1", """
        @numpy_io
        def one_hot_matrix(labels, depth=6):
            import tensorflow as tf
            return tf.one_hot(labels - 1, depth, axis=0)
        """),
    wrong(OH, "returns the tensor without @numpy_io", "@numpy_io", """
        def one_hot_matrix(labels, depth=6):
            import tensorflow as tf
            return tf.one_hot(labels, depth, axis=0)
        """),
    right(OH, "transpose of the row layout", """
        @numpy_io
        def one_hot_matrix(labels, depth=6):
            import tensorflow as tf
            return tf.transpose(tf.one_hot(labels, depth))
        """),
    right(OH, "tf.eye rows gathered", """
        @numpy_io
        def one_hot_matrix(labels, depth=6):
            import tensorflow as tf
            return tf.transpose(tf.gather(tf.eye(depth), labels))
        """),
    right(OH, "a float64 result", """
        @numpy_io
        def one_hot_matrix(labels, depth=6):
            import tensorflow as tf
            return tf.one_hot(labels, depth, axis=0, dtype=tf.float64)
        """),

    # --------------------------------------------------- initialize_parameters
    wrong(INIT, "He normal", "Glorot normal", """
        @numpy_io
        def initialize_parameters(layer_dims, seed=1):
            import tensorflow as tf
            parameters = {}
            for l in range(1, len(layer_dims)):
                init = tf.keras.initializers.HeNormal(seed=seed + l)
                parameters[f"W{l}"] = tf.Variable(init(shape=(layer_dims[l], layer_dims[l - 1])))
                parameters[f"b{l}"] = tf.Variable(tf.zeros((layer_dims[l], 1)))
            return parameters
        """),
    wrong(INIT, "Glorot uniform", "uniformly distributed", """
        @numpy_io
        def initialize_parameters(layer_dims, seed=1):
            import tensorflow as tf
            parameters = {}
            for l in range(1, len(layer_dims)):
                init = tf.keras.initializers.GlorotUniform(seed=seed + l)
                parameters[f"W{l}"] = tf.Variable(init(shape=(layer_dims[l], layer_dims[l - 1])))
                parameters[f"b{l}"] = tf.Variable(tf.zeros((layer_dims[l], 1)))
            return parameters
        """),
    wrong(INIT, "one seeded initializer for every layer", "same shape got identical", """
        @numpy_io
        def initialize_parameters(layer_dims, seed=1):
            import tensorflow as tf
            init = tf.keras.initializers.GlorotNormal(seed=seed)
            parameters = {}
            for l in range(1, len(layer_dims)):
                parameters[f"W{l}"] = tf.Variable(init(shape=(layer_dims[l], layer_dims[l - 1])))
                parameters[f"b{l}"] = tf.Variable(tf.zeros((layer_dims[l], 1)))
            return parameters
        """),
    wrong(INIT, "the seed ignored", "same seed gave different", """
        @numpy_io
        def initialize_parameters(layer_dims, seed=1):
            import tensorflow as tf
            parameters = {}
            for l in range(1, len(layer_dims)):
                init = tf.keras.initializers.GlorotNormal()
                parameters[f"W{l}"] = tf.Variable(init(shape=(layer_dims[l], layer_dims[l - 1])))
                parameters[f"b{l}"] = tf.Variable(tf.zeros((layer_dims[l], 1)))
            return parameters
        """),
    wrong(INIT, "W transposed (n[l-1], n[l])", "has shape", """
        @numpy_io
        def initialize_parameters(layer_dims, seed=1):
            import tensorflow as tf
            parameters = {}
            for l in range(1, len(layer_dims)):
                init = tf.keras.initializers.GlorotNormal(seed=seed + l)
                parameters[f"W{l}"] = tf.Variable(init(shape=(layer_dims[l - 1], layer_dims[l])))
                parameters[f"b{l}"] = tf.Variable(tf.zeros((layer_dims[l], 1)))
            return parameters
        """),
    wrong(INIT, "biases drawn like the weights", "b1 is not all zeros", """
        @numpy_io
        def initialize_parameters(layer_dims, seed=1):
            import tensorflow as tf
            parameters = {}
            for l in range(1, len(layer_dims)):
                init = tf.keras.initializers.GlorotNormal(seed=seed + l)
                parameters[f"W{l}"] = tf.Variable(init(shape=(layer_dims[l], layer_dims[l - 1])))
                parameters[f"b{l}"] = tf.Variable(init(shape=(layer_dims[l], 1)))
            return parameters
        """),
    wrong(INIT, "standard normal weights", "variance", """
        @numpy_io
        def initialize_parameters(layer_dims, seed=1):
            import tensorflow as tf
            parameters = {}
            for l in range(1, len(layer_dims)):
                W = tf.random.stateless_normal((layer_dims[l], layer_dims[l - 1]), seed=[seed, l])
                parameters[f"W{l}"] = tf.Variable(W)
                parameters[f"b{l}"] = tf.Variable(tf.zeros((layer_dims[l], 1)))
            return parameters
        """),
    right(INIT, "stateless normal scaled by Glorot's std", """
        @numpy_io
        def initialize_parameters(layer_dims, seed=1):
            import tensorflow as tf
            parameters = {}
            for l in range(1, len(layer_dims)):
                std = (2.0 / (layer_dims[l] + layer_dims[l - 1])) ** 0.5
                W = std * tf.random.stateless_normal((layer_dims[l], layer_dims[l - 1]), seed=[seed, l])
                parameters["W" + str(l)] = tf.Variable(W)
                parameters["b" + str(l)] = tf.Variable(tf.zeros((layer_dims[l], 1)))
            return parameters
        """),
    right(INIT, "keras initializer per layer, zeros initializer for b", """
        @numpy_io
        def initialize_parameters(layer_dims, seed=1):
            import tensorflow as tf
            parameters = {}
            zeros = tf.keras.initializers.Zeros()
            for l in range(1, len(layer_dims)):
                glorot = tf.keras.initializers.GlorotNormal(seed=1000 * seed + l)
                parameters[f"W{l}"] = tf.Variable(glorot((layer_dims[l], layer_dims[l - 1])), name=f"W{l}")
                parameters[f"b{l}"] = tf.Variable(zeros((layer_dims[l], 1)), name=f"b{l}")
            return parameters
        """),
    right(INIT, "a truncated normal by hand", """
        @numpy_io
        def initialize_parameters(layer_dims, seed=1):
            import tensorflow as tf
            parameters = {}
            for l in range(1, len(layer_dims)):
                std = (2.0 / (layer_dims[l] + layer_dims[l - 1])) ** 0.5 / 0.87962566103423978
                W = tf.random.stateless_truncated_normal((layer_dims[l], layer_dims[l - 1]), seed=[seed, 7 * l], stddev=std)
                parameters[f"W{l}"] = tf.Variable(W)
                parameters[f"b{l}"] = tf.Variable(tf.zeros((layer_dims[l], 1), dtype=tf.float32))
            return parameters
        """),

    # ------------------------------------------------------ forward_propagation
    wrong(FWD, "softmax at the end", "softmax probabilities", """
        @numpy_io
        def forward_propagation(X, parameters):
            import tensorflow as tf
            A1 = tf.nn.relu(tf.matmul(parameters["W1"], X) + parameters["b1"])
            A2 = tf.nn.relu(tf.matmul(parameters["W2"], A1) + parameters["b2"])
            return tf.nn.softmax(tf.matmul(parameters["W3"], A2) + parameters["b3"], axis=0)
        """),
    wrong(FWD, "a ReLU on the output layer", "went through a ReLU", """
        @numpy_io
        def forward_propagation(X, parameters):
            import tensorflow as tf
            A1 = tf.nn.relu(tf.matmul(parameters["W1"], X) + parameters["b1"])
            A2 = tf.nn.relu(tf.matmul(parameters["W2"], A1) + parameters["b2"])
            return tf.nn.relu(tf.matmul(parameters["W3"], A2) + parameters["b3"])
        """),
    wrong(FWD, "the second ReLU forgotten", "logits", """
        @numpy_io
        def forward_propagation(X, parameters):
            import tensorflow as tf
            A1 = tf.nn.relu(tf.matmul(parameters["W1"], X) + parameters["b1"])
            Z2 = tf.matmul(parameters["W2"], A1) + parameters["b2"]
            return tf.matmul(parameters["W3"], Z2) + parameters["b3"]
        """),
    wrong(FWD, "b2 used in layer 3", "logits", """
        @numpy_io
        def forward_propagation(X, parameters):
            import tensorflow as tf
            A1 = tf.nn.relu(tf.matmul(parameters["W1"], X) + parameters["b1"])
            A2 = tf.nn.relu(tf.matmul(parameters["W2"], A1) + parameters["b2"])
            return tf.matmul(parameters["W3"], A2) + tf.reduce_mean(parameters["b2"])
        """),
    wrong(FWD, "the bias added after the ReLU", "logits", """
        @numpy_io
        def forward_propagation(X, parameters):
            import tensorflow as tf
            A1 = tf.nn.relu(tf.matmul(parameters["W1"], X)) + parameters["b1"]
            A2 = tf.nn.relu(tf.matmul(parameters["W2"], A1)) + parameters["b2"]
            return tf.matmul(parameters["W3"], A2) + parameters["b3"]
        """),
    wrong(FWD, "sigmoid hidden activations", "logits", """
        @numpy_io
        def forward_propagation(X, parameters):
            import tensorflow as tf
            A1 = tf.sigmoid(tf.matmul(parameters["W1"], X) + parameters["b1"])
            A2 = tf.sigmoid(tf.matmul(parameters["W2"], A1) + parameters["b2"])
            return tf.matmul(parameters["W3"], A2) + parameters["b3"]
        """),
    right(FWD, "the @ operator and tf.add", """
        @numpy_io
        def forward_propagation(X, parameters):
            import tensorflow as tf
            A = X
            for l in (1, 2):
                A = tf.nn.relu(tf.add(parameters[f"W{l}"] @ A, parameters[f"b{l}"]))
            return parameters["W3"] @ A + parameters["b3"]
        """),
    right(FWD, "computed in float64", """
        @numpy_io
        def forward_propagation(X, parameters):
            import tensorflow as tf
            P = {k: tf.cast(v, tf.float64) for k, v in parameters.items()}
            A1 = tf.maximum(tf.matmul(P["W1"], tf.cast(X, tf.float64)) + P["b1"], 0.0)
            A2 = tf.maximum(tf.matmul(P["W2"], A1) + P["b2"], 0.0)
            return tf.matmul(P["W3"], A2) + P["b3"]
        """),
    right(FWD, "examples on the first axis, transposed back", """
        @numpy_io
        def forward_propagation(X, parameters):
            import tensorflow as tf
            A = tf.transpose(X)
            A = tf.nn.relu(tf.matmul(A, parameters["W1"], transpose_b=True) + tf.transpose(parameters["b1"]))
            A = tf.nn.relu(tf.matmul(A, parameters["W2"], transpose_b=True) + tf.transpose(parameters["b2"]))
            return tf.transpose(tf.matmul(A, parameters["W3"], transpose_b=True) + tf.transpose(parameters["b3"]))
        """),

    # ------------------------------------------------------ compute_total_loss
    wrong(LOSS, "the mean over the examples", "reduce_sum, not reduce_mean", """
        @numpy_io
        def compute_total_loss(logits, labels):
            import tensorflow as tf
            return tf.reduce_mean(tf.keras.losses.categorical_crossentropy(
                tf.transpose(labels), tf.transpose(logits), from_logits=True))
        """),
    wrong(LOSS, "from_logits forgotten", "the total loss", """
        @numpy_io
        def compute_total_loss(logits, labels):
            import tensorflow as tf
            return tf.reduce_sum(tf.keras.losses.categorical_crossentropy(
                tf.transpose(labels), tf.transpose(logits)))
        """),
    wrong(LOSS, "no transpose: classes taken as examples", "the total loss", """
        @numpy_io
        def compute_total_loss(logits, labels):
            import tensorflow as tf
            return tf.reduce_sum(tf.keras.losses.categorical_crossentropy(
                labels, logits, from_logits=True))
        """),
    wrong(LOSS, "log of softmax: overflows", "from the logits", """
        @numpy_io
        def compute_total_loss(logits, labels):
            import tensorflow as tf
            p = tf.exp(logits) / tf.reduce_sum(tf.exp(logits), axis=0, keepdims=True)
            return -tf.reduce_sum(labels * tf.math.log(p))
        """),
    wrong(LOSS, "binary cross-entropy", "the total loss", """
        @numpy_io
        def compute_total_loss(logits, labels):
            import tensorflow as tf
            return tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits))
        """),
    wrong(LOSS, "labels and logits swapped", "the total loss", """
        @numpy_io
        def compute_total_loss(logits, labels):
            import tensorflow as tf
            return tf.reduce_sum(tf.nn.softmax_cross_entropy_with_logits(
                labels=tf.nn.softmax(logits, axis=0), logits=labels, axis=0))
        """),
    right(LOSS, "tf.nn.softmax_cross_entropy_with_logits over axis 0", """
        @numpy_io
        def compute_total_loss(logits, labels):
            import tensorflow as tf
            return tf.reduce_sum(tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits, axis=0))
        """),
    right(LOSS, "a keras loss object with the sum reduction", """
        @numpy_io
        def compute_total_loss(logits, labels):
            import tensorflow as tf
            loss = tf.keras.losses.CategoricalCrossentropy(from_logits=True, reduction="sum")
            return loss(tf.transpose(labels), tf.transpose(logits))
        """),
    right(LOSS, "log-softmax by hand", """
        @numpy_io
        def compute_total_loss(logits, labels):
            import tensorflow as tf
            return -tf.reduce_sum(labels * tf.nn.log_softmax(logits, axis=0))
        """),

    # --------------------------------------------------------------- train_step
    wrong(STEP, "gradients never applied", "did not change", _step(apply="pass")),
    wrong(STEP, "the gradient added (ascent)", "the gradient applied",
          _step(apply="optimizer.apply_gradients(zip([-g for g in grads], variables))")),
    wrong(STEP, "only the weights trained", "did not change",
          _step(apply="optimizer.apply_gradients(zip(grads[::2], variables[::2]))")),
    wrong(STEP, "the mean loss", "the gradient applied",
          _step(loss=f"{_LOSS_OK} / X.shape[1]")),
    wrong(STEP, "the loss with the labels of the previous example", "the gradient applied",
          _step(loss="compute_total_loss(forward_propagation(X, parameters), tf.roll(Y, 1, axis=1))")),
    wrong(STEP, "returns the loss after the step", "the loss returned",
          _step(ret="compute_total_loss(forward_propagation(X, parameters), Y)")),
    right(STEP, "the tape over a dict's values, sorted keys", """
        @numpy_io
        def train_step(X, Y, parameters, optimizer):
            import tensorflow as tf
            keys = sorted(parameters)
            with tf.GradientTape() as tape:
                logits = forward_propagation(X, parameters)
                total = compute_total_loss(logits, Y)
            grads = tape.gradient(total, [parameters[k] for k in keys])
            optimizer.apply_gradients(zip(grads, [parameters[k] for k in keys]))
            return total
        """),
    right(STEP, "tape.watch and assign_sub by hand", """
        @numpy_io
        def train_step(X, Y, parameters, optimizer):
            import tensorflow as tf
            variables = list(parameters.values())
            with tf.GradientTape() as tape:
                loss = compute_total_loss(forward_propagation(X, parameters), Y)
            grads = tape.gradient(loss, variables)
            optimizer.apply_gradients(list(zip(grads, variables)))
            return float(loss.numpy())
        """),
    right(STEP, "the loss written inline with tf.nn", """
        @numpy_io
        def train_step(X, Y, parameters, optimizer):
            import tensorflow as tf
            variables = [parameters[k] for k in ("W3", "b3", "W2", "b2", "W1", "b1")]
            with tf.GradientTape() as tape:
                logits = forward_propagation(X, parameters)
                loss = tf.reduce_sum(tf.nn.softmax_cross_entropy_with_logits(labels=Y, logits=logits, axis=0))
            optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
            return loss
        """),
]
