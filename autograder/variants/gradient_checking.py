"""Variants of the `gradient_checking` graded functions.

They run in the reference module's namespace, as a notebook runs after
``from gc_utils import ...``: relu, sigmoid, dictionary_to_vector,
vector_to_dictionary, gradients_to_vector, forward_propagation(_n) are there.
"""
from autograder.variants import right, wrong

# forward_propagation and backward_propagation are one-liners.
ONE_LINERS = {"forward_propagation": (3, 3), "backward_propagation": (3, 3)}

FORWARD_1D = [
    wrong("forward_propagation", "adds instead of multiplying", "J = theta * x", """
        def forward_propagation(x, theta):
            J = theta + x
            return J
        """),
    wrong("forward_propagation", "prints J instead of returning it", "None", """
        def forward_propagation(x, theta):
            J = theta * x
            print(J)
        """),
    wrong("forward_propagation", "returns theta, forgets x", "forward_propagation(x=", """
        def forward_propagation(x, theta):
            J = theta
            return J
        """),
    right("forward_propagation", "np.dot", """
        def forward_propagation(x, theta):
            J = np.dot(theta, x)
            return J
        """),
    right("forward_propagation", "np.multiply, arguments swapped", """
        def forward_propagation(x, theta):
            return np.multiply(x, theta)
        """),
    right("forward_propagation", "x * theta as a float", """
        def forward_propagation(x, theta):
            return float(x * theta)
        """),
]

BACKWARD_1D = [
    wrong("backward_propagation", "derivative in x (returns theta)", "backward_propagation(x=", """
        def backward_propagation(x, theta):
            dtheta = theta
            return dtheta
        """),
    wrong("backward_propagation", "returns J", "dJ/dtheta", """
        def backward_propagation(x, theta):
            return theta * x
        """),
    wrong("backward_propagation", "no return", "None", """
        def backward_propagation(x, theta):
            dtheta = x
        """),
    right("backward_propagation", "dtheta = x", """
        def backward_propagation(x, theta):
            dtheta = x
            return dtheta
        """),
    right("backward_propagation", "0-d numpy array", """
        def backward_propagation(x, theta):
            return np.array(x, dtype=float)
        """),
    right("backward_propagation", "derivative by the product rule", """
        def backward_propagation(x, theta):
            return 1.0 * x + 0.0 * theta
        """),
]

# The course's shape of gradient_check, with one change each (marked).
GRADIENT_CHECK = [
    wrong("gradient_check", "one-sided difference", "centred", """
        def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
            J_plus = forward_propagation(x, theta + epsilon)
            J = forward_propagation(x, theta)
            gradapprox = (J_plus - J) / epsilon                      # one-sided
            grad = backward_propagation(x, theta)
            difference = np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
            return difference
        """),
    wrong("gradient_check", "missing /2", "centred", """
        def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
            J_plus = forward_propagation(x, theta + epsilon)
            J_minus = forward_propagation(x, theta - epsilon)
            gradapprox = (J_plus - J_minus) / epsilon                # no 2
            grad = backward_propagation(x, theta)
            difference = np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
            return difference
        """),
    wrong("gradient_check", "numerator without the denominator", "norm of the difference", """
        def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
            gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
            grad = backward_propagation(x, theta)
            difference = np.linalg.norm(grad - gradapprox)
            return difference
        """),
    wrong("gradient_check", "difference of norms", "norm of the difference", """
        def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
            gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
            grad = backward_propagation(x, theta)
            numerator = np.abs(np.linalg.norm(grad) - np.linalg.norm(gradapprox))
            difference = numerator / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
            return difference
        """),
    wrong("gradient_check", "squared norms (no sqrt)", "norm of the difference", """
        def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
            gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
            grad = backward_propagation(x, theta)
            difference = (grad - gradapprox) ** 2 / (grad ** 2 + gradapprox ** 2)
            return difference
        """),
    wrong("gradient_check", "epsilon hard-coded", "epsilon argument", """
        def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
            eps = 1e-7
            gradapprox = (forward_propagation(x, theta + eps) - forward_propagation(x, theta - eps)) / (2 * eps)
            grad = backward_propagation(x, theta)
            return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
        """),
    wrong("gradient_check", "returns the verdict (a bool)", "bool", """
        def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
            gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
            grad = backward_propagation(x, theta)
            difference = np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
            return bool(difference < 2e-7)
        """),
    wrong("gradient_check", "returns only when printing", "returned None", """
        def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
            gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
            grad = backward_propagation(x, theta)
            difference = np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
            if print_msg:
                print("difference =", difference)
                return difference
        """),
    wrong("gradient_check", "numerator is a plain difference (np.sum)", "never negative", """
        def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
            gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
            grad = backward_propagation(x, theta)
            return np.sum(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
        """),
    wrong("gradient_check", "arguments of forward_propagation swapped", "centred", """
        def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
            J_plus = forward_propagation(theta + epsilon, x)
            J_minus = forward_propagation(theta - epsilon, x)
            gradapprox = (J_plus - J_minus) / (2 * epsilon)
            grad = backward_propagation(x, theta)
            return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
        """),
    wrong("gradient_check", "grad taken at theta + epsilon", "centred", """
        def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
            thetaplus = theta + epsilon
            gradapprox = (forward_propagation(x, thetaplus) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
            grad = backward_propagation(x, thetaplus)
            return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
        """),
    wrong("gradient_check", "denominator is the norm of the sum", "norm of the difference", """
        def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
            gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
            grad = backward_propagation(x, theta)
            return np.linalg.norm(grad - gradapprox) / np.linalg.norm(grad + gradapprox) / 2
        """),
    right("gradient_check", "the course's layout, with messages", """
        def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
            thetaplus = theta + epsilon
            thetaminus = theta - epsilon
            J_plus = forward_propagation(x, thetaplus)
            J_minus = forward_propagation(x, thetaminus)
            gradapprox = (J_plus - J_minus) / (2 * epsilon)
            grad = backward_propagation(x, theta)
            numerator = np.linalg.norm(grad - gradapprox)
            denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
            difference = numerator / denominator
            if print_msg:
                if difference > 2e-7:
                    print("There is a mistake in the backward propagation! difference = " + str(difference))
                else:
                    print("Your backward propagation works perfectly fine! difference = " + str(difference))
            return difference
        """),
    right("gradient_check", "abs instead of norm, / 2 / epsilon", """
        def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
            gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / 2 / epsilon
            grad = backward_propagation(x, theta)
            difference = abs(grad - gradapprox) / (abs(grad) + abs(gradapprox))
            if print_msg:
                print(f"difference = {difference}")
            return float(difference)
        """),
    right("gradient_check", "perturbs an array in place: += eps, -= 2 eps, += eps", """
        def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
            t = np.array([theta], dtype=float)
            t[0] += epsilon
            J_plus = forward_propagation(x, t[0])
            t[0] -= 2 * epsilon
            J_minus = forward_propagation(x, t[0])
            t[0] += epsilon
            gradapprox = (J_plus - J_minus) / (2 * epsilon)
            grad = backward_propagation(x, theta)
            return float(np.abs(grad - gradapprox) / (np.abs(grad) + np.abs(gradapprox)))
        """),
    right("gradient_check", "sqrt of squares, 1-element arrays", """
        def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
            J = lambda t: forward_propagation(x, t)
            gradapprox = np.array([(J(theta + epsilon) - J(theta - epsilon)) / (2.0 * epsilon)])
            grad = np.array([backward_propagation(x, theta)])
            num = np.sqrt(np.sum((grad - gradapprox) ** 2))
            den = np.sqrt(np.sum(grad ** 2)) + np.sqrt(np.sum(gradapprox ** 2))
            return num / den
        """),
    # Checkers organised differently inside: they never reach the probes for the
    # part they compute themselves, and are graded on the real cost instead.
    right("gradient_check", "its own forward pass: J = theta * x written inline", """
        def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
            J_plus = (theta + epsilon) * x
            J_minus = (theta - epsilon) * x
            gradapprox = (J_plus - J_minus) / (2 * epsilon)
            grad = backward_propagation(x, theta)
            difference = np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
            if print_msg:
                print("difference =", difference)
            return difference
        """),
    right("gradient_check", "its own derivative: grad = x written inline", """
        def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
            gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
            grad = x
            return float(abs(grad - gradapprox) / (abs(grad) + abs(gradapprox)))
        """),
    wrong("gradient_check", "its own forward pass, one-sided difference divided by 2 epsilon",
          "centred difference", """
        def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
            gradapprox = ((theta + epsilon) * x - theta * x) / (2 * epsilon)
            grad = backward_propagation(x, theta)
            return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
        """),
    wrong("gradient_check", "its own forward pass, difference of norms", "norm of the difference", """
        def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
            gradapprox = ((theta + epsilon) * x - (theta - epsilon) * x) / (2 * epsilon)
            grad = backward_propagation(x, theta)
            return abs(np.linalg.norm(grad) - np.linalg.norm(gradapprox)) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
        """),
    # Seen only at a large epsilon, where a one-sided difference is off by
    # O(epsilon); the hidden message names the probe and epsilon, the
    # diagnosis names this variant.
    wrong("gradient_check", "its own derivative, one-sided difference", "epsilon=0.0", """
        def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
            gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta)) / epsilon
            grad = x
            return float(abs(grad - gradapprox) / (abs(grad) + abs(gradapprox)))
        """),
    wrong("gradient_check", "calls neither function: J and dJ/dtheta written inline",
          "calls neither", """
        def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
            gradapprox = ((theta + epsilon) * x - (theta - epsilon) * x) / (2 * epsilon)
            grad = x
            return abs(grad - gradapprox) / (abs(grad) + abs(gradapprox))
        """),
]

GRADIENT_CHECK_N = [
    wrong("gradient_check_n", "one-sided difference", "centred", """
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
            theta, _ = dictionary_to_vector(parameters)
            grad = gradients_to_vector(gradients)
            J, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta))
            gradapprox = np.zeros_like(theta)
            for i in range(theta.shape[0]):
                theta_plus = np.copy(theta)
                theta_plus[i] = theta_plus[i] + epsilon
                J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus))
                gradapprox[i] = (J_plus - J) / epsilon
            return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
        """),
    wrong("gradient_check_n", "missing /2", "centred", """
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
            theta, _ = dictionary_to_vector(parameters)
            grad = gradients_to_vector(gradients)
            gradapprox = np.zeros_like(theta)
            for i in range(theta.shape[0]):
                theta_plus = np.copy(theta); theta_plus[i] += epsilon
                theta_minus = np.copy(theta); theta_minus[i] -= epsilon
                J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus))
                J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus))
                gradapprox[i] = (J_plus - J_minus) / epsilon
            return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
        """),
    wrong("gradient_check_n", "numerator without the denominator", "norm of the difference", """
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
            theta, _ = dictionary_to_vector(parameters)
            grad = gradients_to_vector(gradients)
            gradapprox = np.zeros_like(theta)
            for i in range(theta.shape[0]):
                theta_plus = np.copy(theta); theta_plus[i] += epsilon
                theta_minus = np.copy(theta); theta_minus[i] -= epsilon
                J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus))
                J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus))
                gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
            return np.linalg.norm(grad - gradapprox)
        """),
    wrong("gradient_check_n", "difference of norms", "norm of the difference", """
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
            theta, _ = dictionary_to_vector(parameters)
            grad = gradients_to_vector(gradients)
            gradapprox = np.zeros_like(theta)
            for i in range(theta.shape[0]):
                theta_plus = np.copy(theta); theta_plus[i] += epsilon
                theta_minus = np.copy(theta); theta_minus[i] -= epsilon
                J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus))
                J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus))
                gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
            numerator = abs(np.linalg.norm(grad) - np.linalg.norm(gradapprox))
            return numerator / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
        """),
    wrong("gradient_check_n", "squared norms (no sqrt)", "norm of the difference", """
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
            theta, _ = dictionary_to_vector(parameters)
            grad = gradients_to_vector(gradients)
            gradapprox = np.zeros_like(theta)
            for i in range(theta.shape[0]):
                theta_plus = np.copy(theta); theta_plus[i] += epsilon
                theta_minus = np.copy(theta); theta_minus[i] -= epsilon
                J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus))
                J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus))
                gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
            return np.sum((grad - gradapprox) ** 2) / (np.sum(grad ** 2) + np.sum(gradapprox ** 2))
        """),
    wrong("gradient_check_n", "epsilon hard-coded", "epsilon argument", """
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
            theta, _ = dictionary_to_vector(parameters)
            grad = gradients_to_vector(gradients)
            gradapprox = np.zeros_like(theta)
            for i in range(theta.shape[0]):
                theta_plus = np.copy(theta); theta_plus[i] += 1e-7
                theta_minus = np.copy(theta); theta_minus[i] -= 1e-7
                J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus))
                J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus))
                gradapprox[i] = (J_plus - J_minus) / (2 * 1e-7)
            return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
        """),
    wrong("gradient_check_n", "perturbs every entry at once", "theta[i] alone", """
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
            theta, _ = dictionary_to_vector(parameters)
            grad = gradients_to_vector(gradients)
            gradapprox = np.zeros_like(theta)
            for i in range(theta.shape[0]):
                J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta + epsilon))
                J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta - epsilon))
                gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
            return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
        """),
    wrong("gradient_check_n", "no copy: theta_plus and theta_minus alias theta", "centred", """
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
            parameters_values, _ = dictionary_to_vector(parameters)
            grad = gradients_to_vector(gradients)
            gradapprox = np.zeros_like(parameters_values)
            for i in range(parameters_values.shape[0]):
                theta_plus = parameters_values
                theta_plus[i] = theta_plus[i] + epsilon
                J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus))
                theta_minus = parameters_values
                theta_minus[i] = theta_minus[i] - epsilon
                J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus))
                gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
            return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
        """),
    wrong("gradient_check_n", "in place on the parameters, never restored",
         "for a backward pass that is right", """
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
            grad = gradients_to_vector(gradients)
            gradapprox = []
            for key in ["W1", "b1", "W2", "b2", "W3", "b3"]:
                P = parameters[key]
                for idx in np.ndindex(P.shape):
                    P[idx] += epsilon
                    J_plus, _ = forward_propagation_n(X, Y, parameters)
                    P[idx] -= 2 * epsilon
                    J_minus, _ = forward_propagation_n(X, Y, parameters)
                    gradapprox.append((J_plus - J_minus) / (2 * epsilon))
            gradapprox = np.array(gradapprox).reshape(-1, 1)
            return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
        """),
    wrong("gradient_check_n", "grad vector in another key order", "same order", """
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
            theta, _ = dictionary_to_vector(parameters)
            grad = np.concatenate([gradients[k].reshape(-1, 1) for k in ["dW1", "dW2", "dW3", "db1", "db2", "db3"]])
            gradapprox = np.zeros_like(theta)
            for i in range(theta.shape[0]):
                theta_plus = np.copy(theta); theta_plus[i] += epsilon
                theta_minus = np.copy(theta); theta_minus[i] -= epsilon
                J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus))
                J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus))
                gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
            return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
        """),
    wrong("gradient_check_n", "flattens every gradient key (dZ, dA too)", "raised", """
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
            theta, _ = dictionary_to_vector(parameters)
            grad = np.concatenate([g.reshape(-1, 1) for g in gradients.values()])
            gradapprox = np.zeros_like(theta)
            for i in range(theta.shape[0]):
                theta_plus = np.copy(theta); theta_plus[i] += epsilon
                theta_minus = np.copy(theta); theta_minus[i] -= epsilon
                J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus))
                J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus))
                gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
            return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
        """),
    wrong("gradient_check_n", "returns the verdict (a bool)", "bool", """
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
            theta, _ = dictionary_to_vector(parameters)
            grad = gradients_to_vector(gradients)
            gradapprox = np.zeros_like(theta)
            for i in range(theta.shape[0]):
                theta_plus = np.copy(theta); theta_plus[i] += epsilon
                theta_minus = np.copy(theta); theta_minus[i] -= epsilon
                J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus))
                J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus))
                gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
            difference = np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
            return difference <= 2e-7
        """),
    wrong("gradient_check_n", "prints the difference, returns nothing", "returned None", """
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
            theta, _ = dictionary_to_vector(parameters)
            grad = gradients_to_vector(gradients)
            gradapprox = np.zeros_like(theta)
            for i in range(theta.shape[0]):
                theta_plus = np.copy(theta); theta_plus[i] += epsilon
                theta_minus = np.copy(theta); theta_minus[i] -= epsilon
                J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus))
                J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus))
                gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
            difference = np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
            if print_msg:
                print("difference =", difference)
        """),
    right("gradient_check_n", "the course's layout", """
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
            parameters_values, _ = dictionary_to_vector(parameters)
            grad = gradients_to_vector(gradients)
            num_parameters = parameters_values.shape[0]
            J_plus = np.zeros((num_parameters, 1))
            J_minus = np.zeros((num_parameters, 1))
            gradapprox = np.zeros((num_parameters, 1))
            for i in range(num_parameters):
                theta_plus = np.copy(parameters_values)
                theta_plus[i] = theta_plus[i] + epsilon
                J_plus[i], _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus))
                theta_minus = np.copy(parameters_values)
                theta_minus[i] = theta_minus[i] - epsilon
                J_minus[i], _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus))
                gradapprox[i] = (J_plus[i] - J_minus[i]) / (2 * epsilon)
            numerator = np.linalg.norm(grad - gradapprox)
            denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
            difference = numerator / denominator
            if print_msg:
                if difference > 2e-7:
                    print("\\033[93m" + "There is a mistake in the backward propagation! difference = " + str(difference) + "\\033[0m")
                else:
                    print("\\033[92m" + "Your backward propagation works perfectly fine! difference = " + str(difference) + "\\033[0m")
            return difference
        """),
    right("gradient_check_n", "perturbs copies of the dict entries, no helpers", """
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
            grad, gradapprox = [], []
            for key in ["W1", "b1", "W2", "b2", "W3", "b3"]:
                for idx in np.ndindex(parameters[key].shape):
                    plus = {k: v.copy() for k, v in parameters.items()}
                    minus = {k: v.copy() for k, v in parameters.items()}
                    plus[key][idx] += epsilon
                    minus[key][idx] -= epsilon
                    J_plus = forward_propagation_n(X, Y, plus)[0]
                    J_minus = forward_propagation_n(X, Y, minus)[0]
                    gradapprox.append((J_plus - J_minus) / (2 * epsilon))
                    grad.append(gradients["d" + key][idx])
            grad, gradapprox = np.array(grad), np.array(gradapprox)
            difference = np.sqrt(np.sum((grad - gradapprox) ** 2)) / (np.sqrt(np.sum(grad ** 2)) + np.sqrt(np.sum(gradapprox ** 2)))
            if print_msg:
                print(f"difference = {difference:.3e}")
            return float(difference)
        """),
    right("gradient_check_n", "CS231n style: += eps, -= 2 eps, += eps on theta", """
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
            theta, _ = dictionary_to_vector(parameters)
            grad = gradients_to_vector(gradients)
            gradapprox = np.zeros(theta.shape)
            for i in range(len(theta)):
                theta[i] += epsilon
                fxph = forward_propagation_n(X, Y, vector_to_dictionary(theta))[0]
                theta[i] -= 2 * epsilon
                fxmh = forward_propagation_n(X, Y, vector_to_dictionary(theta))[0]
                theta[i] += epsilon
                gradapprox[i] = (fxph - fxmh) / (2 * epsilon)
            return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
        """),
    right("gradient_check_n", "perturbs in place and restores, comprehension", """
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
            theta, _ = dictionary_to_vector(parameters)
            grad = gradients_to_vector(gradients).ravel()

            def J(t):
                return forward_propagation_n(X, Y, vector_to_dictionary(t))[0]

            def centred(i):
                old = theta[i, 0]
                theta[i, 0] = old + epsilon
                j_plus = J(theta)
                theta[i, 0] = old - epsilon
                j_minus = J(theta)
                theta[i, 0] = old
                return (j_plus - j_minus) / (2 * epsilon)

            gradapprox = np.array([centred(i) for i in range(theta.shape[0])])
            return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
        """),
    # Checkers organised differently inside (issue 8): their own forward pass
    # never reaches the probes, so they are graded on the notebook's network.
    right("gradient_check_n", "its own forward pass and its own packing helpers", """
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
            keys = ["W1", "b1", "W2", "b2", "W3", "b3"]
            shapes = [parameters[k].shape for k in keys]

            def pack(d, prefix=""):
                return np.concatenate([d[prefix + k].ravel() for k in keys])

            def unpack(v):
                out, start = {}, 0
                for k, shape in zip(keys, shapes):
                    size = int(np.prod(shape))
                    out[k] = v[start:start + size].reshape(shape)
                    start += size
                return out

            def cost(v):
                p = unpack(v)
                A1 = np.maximum(0, p["W1"] @ X + p["b1"])
                A2 = np.maximum(0, p["W2"] @ A1 + p["b2"])
                A3 = 1 / (1 + np.exp(-(p["W3"] @ A2 + p["b3"])))
                return -np.mean(Y * np.log(A3) + (1 - Y) * np.log(1 - A3))

            theta, grad = pack(parameters), pack(gradients, "d")
            gradapprox = np.zeros_like(theta)
            for i in range(theta.size):
                plus, minus = theta.copy(), theta.copy()
                plus[i] += epsilon
                minus[i] -= epsilon
                gradapprox[i] = (cost(plus) - cost(minus)) / (2 * epsilon)
            difference = np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
            if print_msg:
                print("difference =", difference)
            return difference
        """),
    right("gradient_check_n", "its own packing helpers, the notebook's forward_propagation_n", """
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
            order = ["W1", "b1", "W2", "b2", "W3", "b3"]

            def to_vector(d, prefix=""):
                return np.concatenate([np.reshape(d[prefix + k], (-1, 1)) for k in order])

            def to_dict(v):
                out, i = {}, 0
                for k in order:
                    n = parameters[k].size
                    out[k] = v[i:i + n].reshape(parameters[k].shape)
                    i += n
                return out

            theta, grad = to_vector(parameters), to_vector(gradients, "d")
            gradapprox = np.zeros(theta.shape)
            for i in range(theta.shape[0]):
                theta_plus, theta_minus = np.copy(theta), np.copy(theta)
                theta_plus[i] += epsilon
                theta_minus[i] -= epsilon
                J_plus = forward_propagation_n(X, Y, to_dict(theta_plus))[0]
                J_minus = forward_propagation_n(X, Y, to_dict(theta_minus))[0]
                gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
            return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
        """),
    wrong("gradient_check_n", "its own forward pass, one-sided difference", "centred", """
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
            keys = ["W1", "b1", "W2", "b2", "W3", "b3"]

            def cost(p):
                A1 = np.maximum(0, p["W1"] @ X + p["b1"])
                A2 = np.maximum(0, p["W2"] @ A1 + p["b2"])
                Z3 = p["W3"] @ A2 + p["b3"]
                return float(np.mean(Y * np.logaddexp(0, -Z3) + (1 - Y) * np.logaddexp(0, Z3)))

            J = cost(parameters)
            grad, gradapprox = [], []
            for k in keys:
                for idx in np.ndindex(parameters[k].shape):
                    plus = {key: v.copy() for key, v in parameters.items()}
                    plus[k][idx] += epsilon
                    gradapprox.append((cost(plus) - J) / epsilon)
                    grad.append(gradients["d" + k][idx])
            grad, gradapprox = np.array(grad), np.array(gradapprox)
            return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
        """),
    wrong("gradient_check_n", "its own forward pass, numerator without the denominator",
          "norm of the difference", """
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
            keys = ["W1", "b1", "W2", "b2", "W3", "b3"]

            def cost(p):
                A1 = np.maximum(0, p["W1"] @ X + p["b1"])
                A2 = np.maximum(0, p["W2"] @ A1 + p["b2"])
                A3 = 1 / (1 + np.exp(-(p["W3"] @ A2 + p["b3"])))
                return -np.sum(Y * np.log(A3) + (1 - Y) * np.log(1 - A3)) / X.shape[1]

            grad, gradapprox = [], []
            for k in keys:
                for idx in np.ndindex(parameters[k].shape):
                    plus = {key: v.copy() for key, v in parameters.items()}
                    minus = {key: v.copy() for key, v in parameters.items()}
                    plus[k][idx] += epsilon
                    minus[k][idx] -= epsilon
                    gradapprox.append((cost(plus) - cost(minus)) / (2 * epsilon))
                    grad.append(gradients["d" + k][idx])
            return np.linalg.norm(np.array(grad) - np.array(gradapprox))
        """),
]

FORWARD_N = [
    wrong("forward_propagation_n", "cost without 1/m", "cost", """
        def forward_propagation_n(X, Y, parameters):
            W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ["W1", "b1", "W2", "b2", "W3", "b3"])
            Z1 = np.dot(W1, X) + b1; A1 = relu(Z1)
            Z2 = np.dot(W2, A1) + b2; A2 = relu(Z2)
            Z3 = np.dot(W3, A2) + b3; A3 = sigmoid(Z3)
            cost = -np.sum(Y * np.log(A3) + (1 - Y) * np.log(1 - A3))
            return cost, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)
        """),
    wrong("forward_propagation_n", "cost with the wrong sign", "cost", """
        def forward_propagation_n(X, Y, parameters):
            m = X.shape[1]
            W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ["W1", "b1", "W2", "b2", "W3", "b3"])
            Z1 = np.dot(W1, X) + b1; A1 = relu(Z1)
            Z2 = np.dot(W2, A1) + b2; A2 = relu(Z2)
            Z3 = np.dot(W3, A2) + b3; A3 = sigmoid(Z3)
            cost = 1 / m * np.sum(Y * np.log(A3) + (1 - Y) * np.log(1 - A3))
            return cost, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)
        """),
    wrong("forward_propagation_n", "cost without the (1 - Y) term", "cost", """
        def forward_propagation_n(X, Y, parameters):
            m = X.shape[1]
            W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ["W1", "b1", "W2", "b2", "W3", "b3"])
            Z1 = np.dot(W1, X) + b1; A1 = relu(Z1)
            Z2 = np.dot(W2, A1) + b2; A2 = relu(Z2)
            Z3 = np.dot(W3, A2) + b3; A3 = sigmoid(Z3)
            cost = -1 / m * np.sum(Y * np.log(A3))
            return cost, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)
        """),
    wrong("forward_propagation_n", "log terms swapped", "cost", """
        def forward_propagation_n(X, Y, parameters):
            m = X.shape[1]
            W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ["W1", "b1", "W2", "b2", "W3", "b3"])
            Z1 = np.dot(W1, X) + b1; A1 = relu(Z1)
            Z2 = np.dot(W2, A1) + b2; A2 = relu(Z2)
            Z3 = np.dot(W3, A2) + b3; A3 = sigmoid(Z3)
            cost = -1 / m * np.sum(Y * np.log(1 - A3) + (1 - Y) * np.log(A3))
            return cost, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)
        """),
    wrong("forward_propagation_n", "cache starts (A1, Z1, ...)", "cache[0] (Z1)", """
        def forward_propagation_n(X, Y, parameters):
            m = X.shape[1]
            W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ["W1", "b1", "W2", "b2", "W3", "b3"])
            Z1 = np.dot(W1, X) + b1; A1 = relu(Z1)
            Z2 = np.dot(W2, A1) + b2; A2 = relu(Z2)
            Z3 = np.dot(W3, A2) + b3; A3 = sigmoid(Z3)
            cost = -1 / m * np.sum(Y * np.log(A3) + (1 - Y) * np.log(1 - A3))
            return cost, (A1, Z1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)
        """),
    wrong("forward_propagation_n", "ReLU on the output layer too", "cache[9] (A3)", """
        def forward_propagation_n(X, Y, parameters):
            m = X.shape[1]
            W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ["W1", "b1", "W2", "b2", "W3", "b3"])
            Z1 = np.dot(W1, X) + b1; A1 = relu(Z1)
            Z2 = np.dot(W2, A1) + b2; A2 = relu(Z2)
            Z3 = np.dot(W3, A2) + b3; A3 = sigmoid(relu(Z3))
            with np.errstate(divide="ignore", invalid="ignore"):
                cost = -1 / m * np.sum(Y * np.log(A3) + (1 - Y) * np.log(1 - A3))
            return cost, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)
        """),
    wrong("forward_propagation_n", "sigmoid in the second hidden layer", "cache[5] (A2)", """
        def forward_propagation_n(X, Y, parameters):
            m = X.shape[1]
            W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ["W1", "b1", "W2", "b2", "W3", "b3"])
            Z1 = np.dot(W1, X) + b1; A1 = relu(Z1)
            Z2 = np.dot(W2, A1) + b2; A2 = sigmoid(Z2)
            Z3 = np.dot(W3, A2) + b3; A3 = sigmoid(Z3)
            cost = -1 / m * np.sum(Y * np.log(A3) + (1 - Y) * np.log(1 - A3))
            return cost, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)
        """),
    wrong("forward_propagation_n", "b2 not added", "cache[4] (Z2)", """
        def forward_propagation_n(X, Y, parameters):
            m = X.shape[1]
            W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ["W1", "b1", "W2", "b2", "W3", "b3"])
            Z1 = np.dot(W1, X) + b1; A1 = relu(Z1)
            Z2 = np.dot(W2, A1); A2 = relu(Z2)
            Z3 = np.dot(W3, A2) + b3; A3 = sigmoid(Z3)
            cost = -1 / m * np.sum(Y * np.log(A3) + (1 - Y) * np.log(1 - A3))
            return cost, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)
        """),
    wrong("forward_propagation_n", "cache without the parameters", "12", """
        def forward_propagation_n(X, Y, parameters):
            m = X.shape[1]
            W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ["W1", "b1", "W2", "b2", "W3", "b3"])
            Z1 = np.dot(W1, X) + b1; A1 = relu(Z1)
            Z2 = np.dot(W2, A1) + b2; A2 = relu(Z2)
            Z3 = np.dot(W3, A2) + b3; A3 = sigmoid(Z3)
            cost = -1 / m * np.sum(Y * np.log(A3) + (1 - Y) * np.log(1 - A3))
            return cost, (Z1, A1, Z2, A2, Z3, A3)
        """),
    wrong("forward_propagation_n", "returns the cache only", "expected 2", """
        def forward_propagation_n(X, Y, parameters):
            W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ["W1", "b1", "W2", "b2", "W3", "b3"])
            Z1 = np.dot(W1, X) + b1; A1 = relu(Z1)
            Z2 = np.dot(W2, A1) + b2; A2 = relu(Z2)
            Z3 = np.dot(W3, A2) + b3; A3 = sigmoid(Z3)
            return (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)
        """),
    # Another precision or order: within the graders' VALUE_RTOL (issue 8).
    right("forward_propagation_n", "cost averaged in float32 (np.mean with dtype)", """
        def forward_propagation_n(X, Y, parameters):
            W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
            Z1 = W1 @ X + b1; A1 = relu(Z1)
            Z2 = W2 @ A1 + b2; A2 = relu(Z2)
            Z3 = W3 @ A2 + b3; A3 = sigmoid(Z3)
            cost = np.mean(-Y * np.log(A3) - (1 - Y) * np.log(1 - A3), dtype=np.float32)
            return float(cost), (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)
        """),
    right("forward_propagation_n", "the course's layout with np.multiply", """
        def forward_propagation_n(X, Y, parameters):
            m = X.shape[1]
            W1 = parameters["W1"]; b1 = parameters["b1"]
            W2 = parameters["W2"]; b2 = parameters["b2"]
            W3 = parameters["W3"]; b3 = parameters["b3"]
            Z1 = np.dot(W1, X) + b1
            A1 = relu(Z1)
            Z2 = np.dot(W2, A1) + b2
            A2 = relu(Z2)
            Z3 = np.dot(W3, A2) + b3
            A3 = sigmoid(Z3)
            logprobs = np.multiply(-np.log(A3), Y) + np.multiply(-np.log(1 - A3), 1 - Y)
            cost = 1. / m * np.sum(logprobs)
            cache = (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)
            return cost, cache
        """),
    right("forward_propagation_n", "@, own ReLU/sigmoid, np.mean, list cache", """
        def forward_propagation_n(X, Y, parameters):
            p = parameters
            Z1 = p["W1"] @ X + p["b1"]
            A1 = np.where(Z1 > 0, Z1, 0.0)
            Z2 = p["W2"] @ A1 + p["b2"]
            A2 = Z2 * (Z2 > 0)
            Z3 = p["W3"] @ A2 + p["b3"]
            A3 = 1.0 / (1.0 + np.exp(-Z3))
            cost = -np.mean(Y * np.log(A3) + (1.0 - Y) * np.log(1.0 - A3))
            return cost, [Z1, A1, p["W1"], p["b1"], Z2, A2, p["W2"], p["b2"], Z3, A3, p["W3"], p["b3"]]
        """),
    right("forward_propagation_n", "cost by dot products, a (1, 1) array", """
        def forward_propagation_n(X, Y, parameters):
            m = X.shape[1]
            W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
            Z1 = np.dot(W1, X) + b1; A1 = np.maximum(Z1, 0)
            Z2 = np.dot(W2, A1) + b2; A2 = np.maximum(Z2, 0)
            Z3 = np.dot(W3, A2) + b3; A3 = sigmoid(Z3)
            cost = -(np.dot(Y, np.log(A3).T) + np.dot(1 - Y, np.log(1 - A3).T)) / m
            return cost, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)
        """),
]


def _backward(changes=None, unpack="(Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)"):
    """A course-style backward_propagation_n with some lines replaced."""
    lines = {
        "dZ3": "dZ3 = A3 - Y",
        "dW3": "dW3 = 1. / m * np.dot(dZ3, A2.T)",
        "db3": "db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=True)",
        "dA2": "dA2 = np.dot(W3.T, dZ3)",
        "dZ2": "dZ2 = np.multiply(dA2, np.int64(A2 > 0))",
        "dW2": "dW2 = 1. / m * np.dot(dZ2, A1.T)",
        "db2": "db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=True)",
        "dA1": "dA1 = np.dot(W2.T, dZ2)",
        "dZ1": "dZ1 = np.multiply(dA1, np.int64(A1 > 0))",
        "dW1": "dW1 = 1. / m * np.dot(dZ1, X.T)",
        "db1": "db1 = 1. / m * np.sum(dZ1, axis=1, keepdims=True)",
    }
    lines.update(changes or {})
    body = "\n".join("    " + line for line in lines.values())
    return (f"def backward_propagation_n(X, Y, cache):\n    m = X.shape[1]\n"
            f"    {unpack} = cache\n{body}\n"
            "    return {'dZ3': dZ3, 'dW3': dW3, 'db3': db3, 'dA2': dA2, 'dZ2': dZ2, 'dW2': dW2,\n"
            "            'db2': db2, 'dA1': dA1, 'dZ1': dZ1, 'dW1': dW1, 'db1': db1}\n")


BACKWARD_N = [
    # The notebook's draft (source/gradient_checking: backward_propagation_n_draft)
    # has these two planted mistakes; tests/test_gradient_checking.py also grades
    # the draft cell itself.
    wrong("backward_propagation_n", "the notebook's planted mistakes (db2 from dA2, dW3 without 1/m)",
          "db2", _backward({"db2": "db2 = 1. / m * np.sum(dA2, axis=1, keepdims=True)",
                            "dW3": "dW3 = np.dot(dZ3, A2.T)"})),
    wrong("backward_propagation_n", "dZ3 = Y - A3", "does not match centred differences",
          _backward({"dZ3": "dZ3 = Y - A3"})),
    wrong("backward_propagation_n", "ReLU mask A2 >= 0 (always true)", "dZ2",
          _backward({"dZ2": "dZ2 = dA2 * (A2 >= 0)"})),
    wrong("backward_propagation_n", "dW1 without 1/m", "dW1",
          _backward({"dW1": "dW1 = np.dot(dZ1, X.T)"})),
    wrong("backward_propagation_n", "db1 summed over the examples' axis 0", "db1 has shape",
          _backward({"db1": "db1 = 1. / m * np.sum(dZ1, axis=0, keepdims=True)"})),
    wrong("backward_propagation_n", "dZ1 multiplied by A1 instead of the ReLU mask", "dZ1",
          _backward({"dZ1": "dZ1 = dA1 * A1"})),
    wrong("backward_propagation_n", "dW2 with A2 instead of A1", "dW2 has shape",
          _backward({"dW2": "dW2 = 1. / m * np.dot(dZ2, A2.T)"})),
    wrong("backward_propagation_n", "dA2 divided by m", "dA2",
          _backward({"dA2": "dA2 = 1. / m * np.dot(W3.T, dZ3)"})),
    wrong("backward_propagation_n", "db3 without keepdims", "db3 has shape",
          _backward({"db3": "db3 = 1. / m * np.sum(dZ3, axis=1)"})),
    wrong("backward_propagation_n", "cache unpacked as (A1, Z1, ...)", "dW2",
          _backward(unpack="(A1, Z1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)")),
    wrong("backward_propagation_n", "dZ3 computed in place in the cache's A3", "changed X, Y or the cache",
          _backward({"dZ3": "dZ3 = A3; dZ3 -= Y"})),
    right("backward_propagation_n", "the course's layout (np.dot, np.int64 mask)", _backward()),
    right("backward_propagation_n", "1 / m in float32, sums in another order", _backward({
        "dW3": "dW3 = np.float32(1. / m) * np.dot(dZ3, A2.T)",
        "db3": "db3 = np.float32(1. / m) * np.sum(dZ3[:, ::-1], axis=1, keepdims=True)",
        "dW2": "dW2 = np.float32(1. / m) * np.dot(dZ2, A1.T)",
        "db2": "db2 = np.float32(1. / m) * np.sum(dZ2[:, ::-1], axis=1, keepdims=True)",
        "dW1": "dW1 = np.float32(1. / m) * np.dot(dZ1, X.T)",
        "db1": "db1 = np.float32(1. / m) * np.sum(dZ1[:, ::-1], axis=1, keepdims=True)"})),
    right("backward_propagation_n", "@, Z > 0 masks, np.mean for db", _backward({
        "dW3": "dW3 = dZ3 @ A2.T / m",
        "db3": "db3 = np.mean(dZ3, axis=1, keepdims=True)",
        "dA2": "dA2 = W3.T @ dZ3",
        "dZ2": "dZ2 = dA2 * (Z2 > 0)",
        "dW2": "dW2 = dZ2 @ A1.T / m",
        "db2": "db2 = np.mean(dZ2, axis=1, keepdims=True)",
        "dA1": "dA1 = W2.T @ dZ2",
        "dZ1": "dZ1 = dA1 * (Z1 > 0)",
        "dW1": "dW1 = dZ1 @ X.T / m",
        "db1": "db1 = np.mean(dZ1, axis=1, keepdims=True)",
    })),
    right("backward_propagation_n", "np.where and np.heaviside masks, reshape for db", _backward({
        "db3": "db3 = np.sum(dZ3, axis=1).reshape(-1, 1) / m",
        "dZ2": "dZ2 = np.where(A2 > 0, dA2, 0.0)",
        "db2": "db2 = np.sum(dZ2, axis=1).reshape(-1, 1) / m",
        "dZ1": "dZ1 = dA1 * np.heaviside(Z1, 0.0)",
        "db1": "db1 = (dZ1.sum(axis=1) / m)[:, None]",
    })),
]

VARIANTS = FORWARD_1D + BACKWARD_1D + GRADIENT_CHECK + GRADIENT_CHECK_N + FORWARD_N + BACKWARD_N
