"""`python -m autograder demo` grades the bundled samples with the CLI grader
and says whether each scored as what it is."""
import argparse
import json
import shutil

from autograder import assignments
from autograder.commands import demo

SAMPLES = assignments.ROOT / "samples"
ASSIGNMENT = "initialization"   # one assignment keeps the test short


def samples_of(assignment, dest):
    """A samples folder holding one assignment's samples and their index."""
    index = json.loads((SAMPLES / "index.json").read_text())
    kept = {k: v for k, v in index.items() if v["assignment"] == assignment}
    for key in kept:
        shutil.copytree(SAMPLES / key, dest / key)
    (dest / "index.json").write_text(json.dumps(kept))
    return kept


def test_demo_grades_the_samples_and_each_scores_as_what_it_is(tmp_path, capsys):
    kept = samples_of(ASSIGNMENT, tmp_path / "samples")
    assert "correct/initialization" in kept and len(kept) >= 2
    code = demo.main(argparse.Namespace(samples=tmp_path / "samples", out=tmp_path / "out"))
    printed = capsys.readouterr().out
    assert code == 0, printed
    for key in kept:
        assert f"ok   {key}" in printed
    results = json.loads((tmp_path / "out" / "results.json").read_text())["submissions"]
    assert len(results) == len(kept)
    assert len(list((tmp_path / "out" / "feedback").glob("*.md"))) == len(kept)


def test_a_sample_scoring_against_its_label_is_reported(tmp_path):
    (tmp_path / "index.json").write_text(json.dumps({
        "correct/a": {"assignment": "a", "function": None, "bug": None, "expect": "full marks"},
        "bug-f/a": {"assignment": "a", "function": "f", "bug": "sign", "expect": "below full marks"},
        "bug-g/a": {"assignment": "a", "function": "g", "bug": "shape", "expect": "below full marks"},
    }))
    records = [{"submission": "x/correct/a/a.ipynb", "score": 9.0, "max_score": 10.0},
               {"submission": "x/bug-f/a/a.ipynb", "score": 10.0, "max_score": 10.0}]
    ok = {key: good for key, _, _, good in demo.expectations(tmp_path, records)}
    assert ok == {"correct/a": False, "bug-f/a": False, "bug-g/a": False}


def test_samples_of_an_assignment_needing_a_missing_package_are_skipped(tmp_path, monkeypatch):
    """Without TensorFlow the demo leaves out the frameworks samples and says why."""
    import importlib.util
    kept = samples_of("frameworks", tmp_path / "samples")
    assert kept
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "tensorflow" else real(name, *a))
    assert demo.missing_requirements(tmp_path / "samples") == {
        "frameworks": "this assignment needs TensorFlow: pip install -e '.[tensorflow]'"}
