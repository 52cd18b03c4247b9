"""Variants of the `initialization` graded functions.

Wrong ones are bugs students write (shapes, keys, dtypes, scale factors,
distributions, seeding); right ones are correct answers written differently.
"""
from autograder.variants import right, wrong

ZEROS, RANDOM, HE = ("initialize_parameters_zeros", "initialize_parameters_random",
                     "initialize_parameters_he")

VARIANTS = [
    # --- initialize_parameters_zeros: wrong -----------------------------------
    wrong(ZEROS, "biases of shape (n,)", "shape", """
        def initialize_parameters_zeros(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.zeros((layers_dims[l], layers_dims[l - 1]))
                p[f"b{l}"] = np.zeros(layers_dims[l])
            return p
        """),
    wrong(ZEROS, "biases of shape (1, n)", "shape", """
        def initialize_parameters_zeros(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.zeros((layers_dims[l], layers_dims[l - 1]))
                p[f"b{l}"] = np.zeros((1, layers_dims[l]))
            return p
        """),
    wrong(ZEROS, "W transposed (n[l-1], n[l])", "shape", """
        def initialize_parameters_zeros(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.zeros((layers_dims[l - 1], layers_dims[l]))
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(ZEROS, "loop stops one layer early", "missing key", """
        def initialize_parameters_zeros(layers_dims):
            p = {}
            for l in range(1, len(layers_dims) - 1):
                p[f"W{l}"] = np.zeros((layers_dims[l], layers_dims[l - 1]))
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(ZEROS, "loop starts at 0 (extra W0, b0)", "unexpected key", """
        def initialize_parameters_zeros(layers_dims):
            p = {}
            for l in range(len(layers_dims)):
                p["W" + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1]))
                p["b" + str(l)] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(ZEROS, "integer arrays", "dtype", """
        def initialize_parameters_zeros(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.zeros((layers_dims[l], layers_dims[l - 1]), dtype=int)
                p[f"b{l}"] = np.zeros((layers_dims[l], 1), dtype=int)
            return p
        """),
    wrong(ZEROS, "small random weights instead of zeros", "not all zeros", """
        def initialize_parameters_zeros(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * 0.01
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(ZEROS, "np.ones for the biases", "b1 is not all zeros", """
        def initialize_parameters_zeros(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.zeros((layers_dims[l], layers_dims[l - 1]))
                p[f"b{l}"] = np.ones((layers_dims[l], 1))
            return p
        """),
    wrong(ZEROS, "stub returns None", "None", """
        def initialize_parameters_zeros(layers_dims):
            parameters = {}
            for l in range(1, len(layers_dims)):
                pass
        """),
    wrong(ZEROS, "returns a list of arrays", "expected a dict", """
        def initialize_parameters_zeros(layers_dims):
            out = []
            for l in range(1, len(layers_dims)):
                out += [np.zeros((layers_dims[l], layers_dims[l - 1])), np.zeros((layers_dims[l], 1))]
            return out
        """),
    wrong(ZEROS, "hard-coded for three layers", "IndexError", """
        def initialize_parameters_zeros(layers_dims):
            p = {}
            for l in (1, 2, 3):
                p[f"W{l}"] = np.zeros((layers_dims[l], layers_dims[l - 1]))
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(ZEROS, "lower-case keys", "missing key", """
        def initialize_parameters_zeros(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"w{l}"] = np.zeros((layers_dims[l], layers_dims[l - 1]))
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),

    # --- initialize_parameters_zeros: right -----------------------------------
    right(ZEROS, "dict comprehension, np.zeros(shape, dtype=float)", """
        def initialize_parameters_zeros(layers_dims):
            shapes = {}
            for l in range(1, len(layers_dims)):
                shapes["W" + str(l)] = (layers_dims[l], layers_dims[l - 1])
                shapes["b" + str(l)] = (layers_dims[l], 1)
            return {key: np.zeros(shape, dtype=float) for key, shape in shapes.items()}
        """),
    right(ZEROS, "zip over consecutive sizes, np.full(..., 0.0)", """
        def initialize_parameters_zeros(layers_dims):
            parameters = {}
            for l, (n_prev, n) in enumerate(zip(layers_dims[:-1], layers_dims[1:]), start=1):
                parameters["W%d" % l] = np.full((n, n_prev), 0.0)
                parameters["b%d" % l] = np.full((n, 1), 0.0)
            return parameters
        """),
    right(ZEROS, "0-based loop with l + 1 keys, zeros_like of a transposed array", """
        def initialize_parameters_zeros(layers_dims):
            parameters = {}
            L = len(layers_dims) - 1
            for l in range(L):
                parameters["W" + str(l + 1)] = np.zeros_like(np.ones((layers_dims[l], layers_dims[l + 1])).T)
                parameters["b" + str(l + 1)] = np.zeros((layers_dims[l + 1], 1)) * 10
            return parameters
        """),

    # --- initialize_parameters_random: wrong ----------------------------------
    wrong(RANDOM, "x10 forgotten", "variance", """
        def initialize_parameters_random(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1])
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(RANDOM, "x0.01 (the small-random habit)", "variance", """
        def initialize_parameters_random(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * 0.01
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(RANDOM, "np.random.rand (uniform on [0, 1)) instead of randn", "mean", """
        def initialize_parameters_random(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.random.rand(layers_dims[l], layers_dims[l - 1]) * 10
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(RANDOM, "normal(0, 100): 100 passed as the std", "variance", """
        def initialize_parameters_random(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.random.normal(0, 100, (layers_dims[l], layers_dims[l - 1]))
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(RANDOM, "randn * sqrt(10)", "variance", """
        def initialize_parameters_random(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(10)
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(RANDOM, "biases drawn at random too", "not all zeros", """
        def initialize_parameters_random(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * 10
                p[f"b{l}"] = np.random.randn(layers_dims[l], 1) * 10
            return p
        """),
    wrong(RANDOM, "np.random.seed(3) inside (the course's expected-output habit)", "np.random.seed", """
        def initialize_parameters_random(layers_dims):
            np.random.seed(3)
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * 10
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(RANDOM, "a fresh unseeded Generator instead of the global RNG", "global RNG", """
        def initialize_parameters_random(layers_dims):
            rng = np.random.default_rng()
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * 10
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(RANDOM, "uniform draw with the right variance", "normally distributed", """
        def initialize_parameters_random(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                limit = 10 * np.sqrt(3)
                p[f"W{l}"] = np.random.uniform(-limit, limit, (layers_dims[l], layers_dims[l - 1]))
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(RANDOM, "one random row shared by every unit", "identical", """
        def initialize_parameters_random(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                row = np.random.randn(1, layers_dims[l - 1]) * 10
                p[f"W{l}"] = np.repeat(row, layers_dims[l], axis=0)
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(RANDOM, "loop stops one layer early", "missing key", """
        def initialize_parameters_random(layers_dims):
            p = {}
            L = len(layers_dims) - 1
            for l in range(1, L):
                p[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * 10
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(RANDOM, "He's scale used instead of x10", "variance", """
        def initialize_parameters_random(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(2 / layers_dims[l - 1])
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(RANDOM, "biases of shape (1, n)", "shape", """
        def initialize_parameters_random(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * 10
                p[f"b{l}"] = np.zeros((1, layers_dims[l]))
            return p
        """),

    # --- initialize_parameters_random: right ----------------------------------
    right(RANDOM, "np.random.normal(0, 10, size)", """
        def initialize_parameters_random(layers_dims):
            parameters = {}
            for l in range(1, len(layers_dims)):
                parameters["W" + str(l)] = np.random.normal(0, 10, size=(layers_dims[l], layers_dims[l - 1]))
                parameters["b" + str(l)] = np.zeros((layers_dims[l], 1), dtype=float)
            return parameters
        """),
    right(RANDOM, "randn(*shape), np.multiply, zip over sizes", """
        def initialize_parameters_random(layers_dims):
            parameters = {}
            pairs = zip(layers_dims[:-1], layers_dims[1:])
            for l, (n_prev, n) in enumerate(pairs, start=1):
                shape = (n, n_prev)
                parameters[f"W{l}"] = np.multiply(np.random.randn(*shape), 10.0)
                parameters[f"b{l}"] = np.zeros(shape[:1] + (1,))
            return parameters
        """),
    right(RANDOM, "standard_normal drawn transposed then .T", """
        def initialize_parameters_random(layers_dims):
            parameters = {}
            for l in range(len(layers_dims) - 1):
                draw = np.random.standard_normal((layers_dims[l], layers_dims[l + 1]))
                parameters["W" + str(l + 1)] = 10 * draw.T
                parameters["b" + str(l + 1)] = np.zeros((layers_dims[l + 1], 1))
            return parameters
        """),

    # --- initialize_parameters_he: wrong --------------------------------------
    wrong(HE, "transposed W", "shape", """
        def initialize_parameters_he(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.random.randn(layers_dims[l - 1], layers_dims[l]) * np.sqrt(2 / layers_dims[l - 1])
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(HE, "fan-out n[l] instead of fan-in n[l-1]", "variance", """
        def initialize_parameters_he(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(2 / layers_dims[l])
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(HE, "Xavier sqrt(1 / n[l-1])", "variance", """
        def initialize_parameters_he(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(1 / layers_dims[l - 1])
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(HE, "Glorot sqrt(2 / (n[l-1] + n[l]))", "variance", """
        def initialize_parameters_he(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                scale = np.sqrt(2 / (layers_dims[l - 1] + layers_dims[l]))
                p[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * scale
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(HE, "2 / n[l-1] without the square root", "variance", """
        def initialize_parameters_he(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * (2 / layers_dims[l - 1])
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(HE, "x0.01 instead of He's factor", "variance", """
        def initialize_parameters_he(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * 0.01
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(HE, "x10 left over from the random initializer", "variance", """
        def initialize_parameters_he(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * 10 * np.sqrt(2 / layers_dims[l - 1])
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(HE, "one factor for every layer (n[0])", "variance", """
        def initialize_parameters_he(layers_dims):
            p = {}
            scale = np.sqrt(2 / layers_dims[0])
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * scale
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(HE, "np.random.rand instead of randn", "mean", """
        def initialize_parameters_he(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.random.rand(layers_dims[l], layers_dims[l - 1]) * np.sqrt(2 / layers_dims[l - 1])
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(HE, "He-uniform (Keras he_uniform): right variance, wrong shape", "normally distributed", """
        def initialize_parameters_he(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                limit = np.sqrt(6 / layers_dims[l - 1])
                p[f"W{l}"] = np.random.uniform(-limit, limit, (layers_dims[l], layers_dims[l - 1]))
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(HE, "np.random.seed(3) inside (the course's expected-output habit)", "np.random.seed", """
        def initialize_parameters_he(layers_dims):
            np.random.seed(3)
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(2 / layers_dims[l - 1])
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(HE, "loop stops one layer early", "missing key", """
        def initialize_parameters_he(layers_dims):
            p = {}
            L = len(layers_dims) - 1
            for l in range(1, L):
                p[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(2 / layers_dims[l - 1])
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(HE, "loop starts at 0 (extra W0, b0)", "unexpected key", """
        def initialize_parameters_he(layers_dims):
            p = {}
            for l in range(len(layers_dims)):
                p[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(2 / layers_dims[l - 1])
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    wrong(HE, "biases of shape (n,)", "shape", """
        def initialize_parameters_he(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(2 / layers_dims[l - 1])
                p[f"b{l}"] = np.zeros(layers_dims[l])
            return p
        """),
    wrong(HE, "biases scaled random like the weights", "not all zeros", """
        def initialize_parameters_he(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                scale = np.sqrt(2 / layers_dims[l - 1])
                p[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * scale
                p[f"b{l}"] = np.random.randn(layers_dims[l], 1) * scale
            return p
        """),
    wrong(HE, "stub left unimplemented", "NotImplementedError", """
        def initialize_parameters_he(layers_dims):
            raise NotImplementedError()
        """),

    # --- initialize_parameters_he: right --------------------------------------
    right(HE, "np.random.normal with scale", """
        def initialize_parameters_he(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p["W" + str(l)] = np.random.normal(0, np.sqrt(2 / layers_dims[l - 1]), (layers_dims[l], layers_dims[l - 1]))
                p["b" + str(l)] = np.zeros((layers_dims[l], 1))
            return p
        """),
    right(HE, "randn(*shape) * np.sqrt(2) / np.sqrt(n)", """
        def initialize_parameters_he(layers_dims):
            parameters = {}
            L = len(layers_dims) - 1
            for l in range(1, L + 1):
                shape = (layers_dims[l], layers_dims[l - 1])
                parameters["W" + str(l)] = np.random.randn(*shape) * np.sqrt(2) / np.sqrt(shape[1])
                parameters["b" + str(l)] = np.zeros((shape[0], 1), dtype=float)
            return parameters
        """),
    right(HE, "divide by sqrt(n / 2), zip and enumerate", """
        def initialize_parameters_he(layers_dims):
            parameters = {}
            for l, (fan_in, fan_out) in enumerate(zip(layers_dims, layers_dims[1:]), 1):
                parameters[f"W{l}"] = np.random.standard_normal((fan_out, fan_in)) / np.sqrt(fan_in / 2.0)
                parameters[f"b{l}"] = np.zeros((fan_out, 1))
            return parameters
        """),
    right(HE, "list comprehension of (W, b) pairs, dict built after", """
        def initialize_parameters_he(layers_dims):
            pairs = [(np.random.randn(n, n_prev) * (2.0 / n_prev) ** 0.5, np.zeros((n, 1)))
                     for n_prev, n in zip(layers_dims[:-1], layers_dims[1:])]
            parameters = {}
            for l, (W, b) in enumerate(pairs, start=1):
                parameters["W" + str(l)] = W
                parameters["b" + str(l)] = b
            return parameters
        """),
]
