"""The course's nbgrader_config.py stops nbgrader when the kit's pipeline cannot load.

nbgrader (traitlets) logs an exception raised while loading a config file and
carries on with its defaults: students' notebooks would then run in a kernel
of the grading machine, unsandboxed, with no hidden grader.  The config must
end the command instead (SystemExit passes through traitlets' handler).
"""
import sys
from pathlib import Path

import pytest
from traitlets.config import Config

CONFIG = Path(__file__).resolve().parents[1] / "nbgrader_config.py"


def _load():
    config = Config()
    namespace = {"get_config": lambda: config, "__file__": str(CONFIG)}
    exec(compile(CONFIG.read_text(), str(CONFIG), "exec"), namespace)
    return config


def test_the_config_selects_the_kits_autograde_pipeline():
    from autograder.nbgrader_ext import GradeInSandbox, SaveSandboxGrades
    pipeline = _load().Autograde.autograde_preprocessors
    assert GradeInSandbox in pipeline and SaveSandboxGrades in pipeline
    assert not [p for p in pipeline if p.__name__ in ("Execute", "SaveAutoGrades")]


def test_a_kit_that_cannot_be_imported_stops_nbgrader(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "autograder.nbgrader_ext", None)    # ImportError on import
    with pytest.raises(SystemExit) as stopped:
        _load()
    assert stopped.value.code == 2
    assert "Refusing to run nbgrader with its default pipeline" in capsys.readouterr().err
