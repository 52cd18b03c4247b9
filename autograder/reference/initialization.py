"""Reference answers for the `initialization` assignment.

layers_dims: list of layer sizes [n0, n1, ..., nL]; returns a dict
{"W1", "b1", ..., "WL", "bL"} with W[l]: (n[l], n[l-1]) and b[l]: (n[l], 1),
float64.  Weights draw from numpy's global RNG, which is never reseeded here.
"""
import numpy as np


def initialize_parameters_zeros(layers_dims):
    """All weights and biases zero.

    layers_dims: [n0, ..., nL].  Returns {"W<l>": zeros (n[l], n[l-1]),
    "b<l>": zeros (n[l], 1)} for l = 1..L.
    """
    return {name: np.zeros(shape)
            for l in range(1, len(layers_dims))
            for name, shape in ((f"W{l}", (layers_dims[l], layers_dims[l - 1])),
                                (f"b{l}", (layers_dims[l], 1)))}


def initialize_parameters_random(layers_dims):
    """W[l] ~ N(0, 1) * 10, b[l] = 0.

    layers_dims: [n0, ..., nL].  Returns {"W<l>": (n[l], n[l-1]),
    "b<l>": zeros (n[l], 1)} for l = 1..L.
    """
    params = {}
    for l in range(1, len(layers_dims)):
        params[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * 10
        params[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return params


def initialize_parameters_he(layers_dims):
    """W[l] ~ N(0, 1) * sqrt(2 / n[l-1]) (He et al., 2015; n[l-1] is the
    fan-in), b[l] = 0.

    layers_dims: [n0, ..., nL].  Returns {"W<l>": (n[l], n[l-1]),
    "b<l>": zeros (n[l], 1)} for l = 1..L.
    """
    params = {}
    for l in range(1, len(layers_dims)):
        fan_in = layers_dims[l - 1]
        params[f"W{l}"] = np.random.randn(layers_dims[l], fan_in) * np.sqrt(2.0 / fan_in)
        params[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return params
