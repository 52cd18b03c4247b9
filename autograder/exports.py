"""Files a batch writes beside the score table: JSON, CSV, Gradescope, feedback names.

Results accumulate across runs: grading one student again replaces that
student's rows and keeps everyone else's.

- ``merge_json(path, records, protections)``: the --json file; a record
  replaces the kept one of the same submission (its path).
- ``write_csv(path, records)``: one row per student and assignment: student,
  assignment, total, max, one column per graded function, status; rows of
  other students/assignments already in the file are kept.  Text cells that
  a spreadsheet would run as a formula (=, +, -, @) get a leading '.
- ``write_gradescope(folder, records)``: ``<folder>/<file_stem>/results.json`` per
  submission in Gradescope's autograder format.
- ``file_stem(record)``: a per-submission file name, safe and unique (a short
  hash of the exact path: ``bob/smith`` and ``bob_smith``, ``zoë`` and
  ``zoé`` get different files).
"""
import csv
import hashlib
import io
import json
import re
import unicodedata
from pathlib import Path

from . import assignments
from .cache import write_atomically
from .report import PUBLIC_FIELDS, by_function

FIXED_COLUMNS = ["student", "assignment", "total", "max", "status"]
# The --json file's fields: report's, and what a grade needs to be checked or
# reproduced (the student, warnings, the inputs salt, whether it was protected).
JSON_FIELDS = tuple(PUBLIC_FIELDS) + tuple(
    f for f in ("student", "warnings", "inputs_salt", "protected") if f not in PUBLIC_FIELDS)


def public(record):
    """The record as it appears in the --json file."""
    return {k: record[k] for k in JSON_FIELDS if k in record}


def file_stem(record):
    """``<assignment>-<hash of the exact submission path>-<student>``, safe characters only."""
    ascii_ = unicodedata.normalize("NFKD", record.get("student") or "submission")
    ascii_ = ascii_.encode("ascii", "ignore").decode()
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_).strip("_.")[:60] or "submission"
    digest = hashlib.sha256(record["submission"].encode("utf-8", "surrogateescape")).hexdigest()
    return f"{record.get('assignment') or 'unknown'}-{digest[:8]}-{safe}"


def merge_json(path, records, protections):
    """Write the --json file: kept records of other submissions, then these."""
    path = Path(path)
    kept = []
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
        kept = [r for r in old.get("submissions", []) if isinstance(r, dict)]
    except (OSError, ValueError, AttributeError):
        pass
    names = {r["submission"] for r in records}
    merged = [r for r in kept if r.get("submission") not in names]
    merged += [public(r) for r in records]
    out = {"submissions": merged, "protections": list(protections)}
    write_atomically(path, json.dumps(out, indent=1) + "\n")
    return merged


def csv_rows(records):
    """(header, rows) of the CSV for ``records`` (see module docstring)."""
    present = {r.get("assignment") for r in records}
    functions = []
    for a in assignments.all_assignments():
        if a.id in present:
            functions += [f for f in a.functions if f not in functions]
    rows = []
    for r in records:
        row = {"student": r.get("student", ""), "assignment": r.get("assignment") or "",
               "total": _num(r["score"]), "max": _num(r["max_score"]),
               "status": "graded" if "error" not in r else f"not graded: {r['error']}"}
        for fn, (score, _) in by_function(r["tests"]).items():
            row[fn] = _num(score)
            if fn not in functions:
                functions.append(fn)
        rows.append(row)
    return FIXED_COLUMNS[:4] + functions + ["status"], rows


def write_csv(path, records):
    """Write (accumulating) the CSV; see module docstring."""
    path = Path(path)
    header, rows = csv_rows(records)
    fresh = {(row["student"], row["assignment"]) for row in rows}
    try:
        with open(path, newline="", encoding="utf-8") as f:
            old = list(csv.DictReader(f))
    except (OSError, csv.Error, UnicodeDecodeError):
        old = []
    kept = []
    for row in old:
        row = {k: _unguard(v) for k, v in row.items() if k is not None}
        if (row.get("student", ""), row.get("assignment", "")) not in fresh:
            kept.append(row)
            header += [k for k in row if k not in header]
    header = [h for h in header if h != "status"] + ["status"]
    every = sorted(kept + rows, key=lambda row: (row.get("student", ""), row.get("assignment", "")))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, restval="", extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    for row in every:
        writer.writerow({k: _guard(v) for k, v in row.items()})
    write_atomically(path, out.getvalue())
    return every


def gradescope_result(record):
    """One submission in Gradescope's results.json format."""
    tests = [{"name": t["name"], "score": t["score"], "max_score": t["max_score"],
              "output": t["message"] or t["status"], "visibility": "visible"}
             for t in record["tests"]]
    result = {"score": record["score"], "tests": tests}
    if "error" in record:
        result["output"] = f"This notebook could not be graded: {record['error']}"
    return result


def write_gradescope(folder, records):
    """``folder``/<file_stem>/results.json for every record."""
    for record in records:
        dest = Path(folder) / file_stem(record)
        dest.mkdir(parents=True, exist_ok=True)
        write_atomically(dest / "results.json", json.dumps(gradescope_result(record), indent=1))


def _num(x):
    return f"{x:g}"


def _guard(value):
    value = "" if value is None else str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _unguard(value):
    value = "" if value is None else str(value)
    return value[1:] if value[:2] in ("'=", "'+", "'-", "'@") else value
