"""Variants of the `initialization` graded functions (being completed)."""
from tests.mutants import right, wrong

VARIANTS = [
    wrong("initialize_parameters_he", "transposed W", "shape", """
        def initialize_parameters_he(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p[f"W{l}"] = np.random.randn(layers_dims[l - 1], layers_dims[l]) * np.sqrt(2 / layers_dims[l - 1])
                p[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return p
        """),
    right("initialize_parameters_he", "np.random.normal with scale", """
        def initialize_parameters_he(layers_dims):
            p = {}
            for l in range(1, len(layers_dims)):
                p["W" + str(l)] = np.random.normal(0, np.sqrt(2 / layers_dims[l - 1]), (layers_dims[l], layers_dims[l - 1]))
                p["b" + str(l)] = np.zeros((layers_dims[l], 1))
            return p
        """),
]
