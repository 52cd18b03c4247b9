"""``python -m autograder check``: visible checks out of process, full messages.

The command runs as a program once (``test_unreadable_notebook_is_a_usage_error``:
the entry point, its exit status and stderr); the other cases call the same
``cli.main`` in this process (the notebook still runs in the sandbox)."""
import subprocess
import sys
from pathlib import Path

from autograder import cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


def check(*args):
    """``python -m autograder check ARGS`` as a program: (exit status, stdout, stderr)."""
    done = subprocess.run([sys.executable, "-m", "autograder", "check", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT)
    return done.returncode, done.stdout, done.stderr


def check_here(capsys, *args):
    """The same command through ``cli.main`` in this process."""
    code = cli.main(["check", *map(str, args)])
    printed = capsys.readouterr()
    return code, printed.out, printed.err


def test_correct_notebook_passes_every_visible_check(capsys):
    code, out, err = check_here(capsys, SAMPLES / "correct" / "initialization" / "initialization.ipynb")
    assert code == 0, out + err
    for fn in ("initialize_parameters_zeros", "initialize_parameters_random",
               "initialize_parameters_he"):
        assert f"✓ {fn}: passed" in out


def test_buggy_notebook_says_what_is_wrong_in_full(capsys):
    code, out, err = check_here(capsys, SAMPLES / "bug-compute_cost_with_regularization" / "regularization" /
                           "regularization.ipynb")
    assert code == 1, out + err
    assert "✗ compute_cost_with_regularization: not yet" in out
    assert "✓ forward_propagation_with_dropout: passed" in out
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if "CheckFailed" in line)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("  ✗"))
    message = " ".join(line.strip() for line in lines[start:end])
    # the whole message, on lines that fit (wrapped, never cut with "...")
    assert len(message) > 120 and "it went from" in message, message
    assert not any(line.endswith("...") for line in lines[start:end]), message
    assert "BEGIN HIDDEN" not in out and "grade_function" not in out


def test_hidden_prints_the_instructors_report(capsys):
    code, out, err = check_here(capsys, "--hidden", SAMPLES / "bug-compute_cost_with_regularization" /
                           "regularization" / "regularization.ipynb")
    assert code == 1, out + err
    assert "Hidden graders" in out and "Score: **" in out
    assert "Likely bug" in out and str(ROOT) not in out


def test_unreadable_notebook_is_a_usage_error(tmp_path):
    bad = tmp_path / "initialization.ipynb"
    bad.write_text("{not json")
    code, out, err = check(bad)
    assert code == 2 and "not valid JSON" in err


def test_run_from_python_is_the_same_check(capsys):
    from autograder.commands.check import run
    code = run(SAMPLES / "correct" / "initialization" / "initialization.ipynb")
    assert code == 0 and "✓ initialize_parameters_he: passed" in capsys.readouterr().out
