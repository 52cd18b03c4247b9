"""Hidden graders of the `initialization` assignment.

PATTERN FILE (being completed): each test is named after the function it
grades, declares its points, builds fresh inputs and checks properties.
"""
import numpy as np

from autograder.checks import expect, expect_array, expect_keys
from autograder.grading import graded


def _check_layout(params, layers_dims, name):
    L = len(layers_dims) - 1
    keys = [f"{p}{l}" for l in range(1, L + 1) for p in "Wb"]
    expect_keys(params, keys, f"{name}'s return value")
    for l in range(1, L + 1):
        expect_array(params[f"W{l}"], f"W{l}", (layers_dims[l], layers_dims[l - 1]))
        expect_array(params[f"b{l}"], f"b{l}", (layers_dims[l], 1))


@graded("initialize_parameters_he", points=1)
def test_initialize_parameters_he_shapes(student):
    for dims in ([2, 10, 5, 1], [3, 1, 1], [7, 30, 20, 10, 4, 1]):
        _check_layout(student.initialize_parameters_he(dims), dims, "initialize_parameters_he")
