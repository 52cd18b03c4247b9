"""What a batch shows while it runs, and the summary at the end.

On a terminal: a tqdm bar (done / total, rate, time left, not graded so far).
Otherwise (a log, CI): one plain line per submission.  ``summary`` is the
end: graded, reused from an earlier run, not graded (with why), time taken.
"""
import sys
import time

from .bounded import bounded
from .report import points


class Progress:
    def __init__(self, total, stream=None):
        self.stream = stream or sys.stderr
        self.total, self.done, self.failed, self.reused = total, 0, 0, 0
        self.started = time.monotonic()
        self.bar = None
        if _is_terminal(self.stream):
            try:
                from tqdm import tqdm
            except ImportError:     # an install without the dependency: plain lines
                tqdm = None
            if tqdm is not None:
                self.bar = tqdm(total=total, file=self.stream, unit="sub", dynamic_ncols=True,
                                desc="grading")

    def update(self, record, reused=False):
        self.done += 1
        self.reused += reused
        self.failed += "error" in record
        if self.bar is not None:
            self.bar.set_postfix_str(f"not graded {self.failed}", refresh=False)
            self.bar.update(1)
            return
        what = "kept" if reused else "graded" if "error" not in record else "not graded"
        score = f"{points(record['score'])}/{points(record['max_score'])}"
        name = " ".join(bounded(record["submission"], 200).split())
        print(f"[{self.done}/{self.total}] {what} {name}: {score}", file=self.stream, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def seconds(self):
        return time.monotonic() - self.started


def _is_terminal(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def summary(records, reused, seconds):
    """The end-of-batch lines: counts, why each ungraded one was not graded, time."""
    failed = [r for r in records if "error" in r]
    lines = [f"{len(records)} submission(s) in {seconds:.1f} s: "
             f"{len(records) - len(failed) - reused} graded, {reused} kept from an earlier run, "
             f"{len(failed)} could not be graded"]
    for r in failed[:20]:
        lines.append(f"  not graded: {_line(r['submission'])}: {_line(r['error'])}")
    if len(failed) > 20:
        lines.append(f"  ... and {len(failed) - 20} more (see the JSON)")
    return lines


def _line(text):
    return " ".join(bounded(text, 200).split())
