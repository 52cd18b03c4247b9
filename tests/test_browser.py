"""Feedback pages and the class page as a person sees them, in headless Chromium.

Each page is opened from a file at 1280 px width, with a probe script added
to a copy of it (the pages themselves have no script) that writes into the
DOM what the browser computed: the document's scroll width, the visible text
(``innerText``: hidden elements are not in it), the resources loaded and
whether every image decoded.  ``--dump-dom`` hands that back; console
messages come from Chromium's log.  Chromium is Debian's ``chromium``
package; .ci/run installs it when missing, and without it these tests fail
(they are not skipped).
"""
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from autograder import classpage, report
from tests import feedback_records as records

WIDTH = 1280
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync",
         "--enable-logging=stderr", "--v=0", f"--window-size={WIDTH},900",
         "--virtual-time-budget=5000"]
# A hang guard only, far above the ~3 s a page takes.
HANG_SECONDS = 600
PROBE = """<script>window.addEventListener("load", function () {
  var d = document.documentElement, out = document.createElement("pre");
  out.id = "dlkit-probe"; out.style.display = "none";
  out.textContent = JSON.stringify({
    scrollWidth: d.scrollWidth, clientWidth: d.clientWidth,
    text: document.body.innerText,
    resources: performance.getEntriesByType("resource").map(function (e) { return e.name; }),
    images: Array.prototype.map.call(document.images, function (i) {
      return i.complete && i.naturalWidth > 0; })
  });
  document.body.appendChild(out);
});</script>"""
PROBE_OUT = re.compile(r'<pre id="dlkit-probe"[^>]*>(.*?)</pre>', re.S)
ABSOLUTE_PATH = re.compile(r"(?<![\w:/.])/(?:home|tmp|work|usr|root|srv|var|opt)/")
HIDDEN_SOURCE = ("BEGIN HIDDEN", "grade_function", "nbgrader_hidden", "@graded", "def test_",
                 "student.", "autograder.graders")


def chromium():
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("Chromium is missing: apt-get install -y chromium (.ci/run does it)")
    return found


def look(html, tmp_path, name):
    """What Chromium shows for ``html``: the probe's dict, plus "console"."""
    import html as html_module
    page = tmp_path / f"{name}.html"
    page.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    done = subprocess.run([chromium(), *FLAGS, f"--user-data-dir={tmp_path / ('profile-' + name)}",
                           "--dump-dom", page.as_uri()],
                          capture_output=True, text=True, timeout=HANG_SECONDS)
    found = PROBE_OUT.search(done.stdout)
    assert found, f"Chromium rendered nothing for {name}: {done.stderr[-2000:]}"
    seen = json.loads(html_module.unescape(found.group(1)))
    seen["console"] = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return seen


def assert_readable(seen, name, dollars_allowed=False):
    assert seen["scrollWidth"] <= seen["clientWidth"] <= WIDTH, \
        f"{name} scrolls sideways: {seen['scrollWidth']} px of content in {seen['clientWidth']} px"
    assert not seen["console"], f"{name} logged to the console: {seen['console']}"
    assert all(r.startswith("data:") for r in seen["resources"]), \
        f"{name} loaded {seen['resources']}"
    assert all(seen["images"]), f"{name} has an image that did not decode"
    text = seen["text"]
    assert not ABSOLUTE_PATH.search(text), f"{name} shows a path: {ABSOLUTE_PATH.search(text)}"
    leaked = [s for s in HIDDEN_SOURCE if s in text]
    assert not leaked, f"{name} shows hidden-test source: {leaked}"
    if not dollars_allowed:
        assert "$" not in text, f"{name} shows raw maths ($)"


@pytest.fixture(scope="module")
def made():
    return {"correct": records.correct(), "buggy": records.buggy(),
            "ungradable": records.ungradable(), "hostile": records.hostile(),
            "figures": records.with_figures()}


def test_correct_submission(made, tmp_path):
    seen = look(report.feedback_html(made["correct"]), tmp_path, "correct")
    assert_readable(seen, "correct")
    assert "regularization: feedback for alice" in seen["text"]
    assert "28 / 28" in seen["text"] and "failed" not in seen["text"]


def test_buggy_submission_shows_hints_and_the_bug(made, tmp_path):
    seen = look(report.feedback_html(made["buggy"]), tmp_path, "buggy")
    assert_readable(seen, "buggy")
    text = seen["text"]
    assert "Likely bug" in text and "the 1/2 forgotten" in text
    for t in made["buggy"]["tests"]:
        if t["status"] != "passed":
            assert t["message"][:60] in text, t["name"]
    assert "lambd / (2 m) * (sum W1^2" in text         # the formula to look at, in words


def test_ungradable_submission(made, tmp_path):
    seen = look(report.feedback_html(made["ungradable"]), tmp_path, "ungradable")
    assert_readable(seen, "ungradable")
    assert "could not be graded" in seen["text"] and "not valid JSON" in seen["text"]


def test_hostile_text_shows_as_text_and_long_values_wrap(made, tmp_path):
    seen = look(report.feedback_html(made["hostile"]), tmp_path, "hostile")
    assert_readable(seen, "hostile", dollars_allowed=True)
    text = seen["text"]
    assert "**score 6/6**" in text and "<img src=x onerror=alert(1)>" in text
    assert "<b>dave</b>" in text and "<script>alert(2)</script>" in text
    assert records.LONG_VALUE[:200] in text.replace("\n", "")


def test_figures_decode(made, tmp_path):
    seen = look(report.feedback_html(made["figures"]), tmp_path, "figures")
    assert_readable(seen, "figures")
    assert len(seen["images"]) == 3


def test_class_page(made, tmp_path):
    html = classpage.pages([made["correct"], made["buggy"], made["ungradable"],
                            made["hostile"]])["regularization"]
    seen = look(html, tmp_path, "class")
    assert_readable(seen, "class page", dollars_allowed=True)
    text = seen["text"]
    assert "4 submission(s): 3 graded, 1 could not be graded" in text
    assert "the 1/2 forgotten" in text and "carol" in text


def test_cli_graded_sample(tmp_path):
    """A sample submission graded out of process, as ``grade`` makes its record."""
    from autograder import assignments, submissions
    from autograder.records import grade_file
    from autograder.sandbox import Limits, Workspace
    root = Path(__file__).resolve().parents[1]
    path = root / "samples" / "bug-forward_propagation_with_dropout" / "regularization" / \
        "regularization.ipynb"
    limits = Limits()
    workspace = Workspace(limits)
    try:
        found, = submissions.find([path], assignments.ids())
        record = grade_file(path, workspace, limits, student=found.student)
    finally:
        workspace.close()
    assert record["score"] < record["max_score"]
    seen = look(report.feedback_html(record), tmp_path, "cli")
    assert_readable(seen, "CLI record")
    assert "feedback for bug-forward_propagation_with_dropout" in seen["text"]
