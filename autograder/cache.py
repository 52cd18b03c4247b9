"""The results cache: one kept record per submission, reused only when nothing changed.

A batch keeps each record as soon as it is made (one JSON file per
submission in the results directory, written atomically), so a batch killed
halfway finishes where it stopped.  A kept record is reused only if its key
matches, and the key covers everything that can change a record:

- every ``.py`` of the kit (graders, references, sandbox, report, commands...);
- every assignment's student-visible files (release/ or source/);
- the Python and numpy versions;
- the sandbox mode (its protections, in words) and the limits;
- the submission: its path, student id, bytes (as read once) and inputs salt.
"""
import functools
import hashlib
import json
import os
import platform
import tempfile
from pathlib import Path

from . import assignments


def kit_files():
    """Every file whose content can change a record: each .py of the kit, and
    each assignment's student-visible .py files."""
    files = sorted(assignments.PACKAGE.rglob("*.py"))
    for a in assignments.all_assignments():
        if a.files is not None:
            files += sorted(a.files.glob("*.py"))
    return files


@functools.lru_cache(maxsize=1)
def kit_fingerprint():
    """A hash of ``kit_files()`` and the Python and numpy versions."""
    import numpy
    digest = hashlib.sha256()
    digest.update(f"python {platform.python_version()} numpy {numpy.__version__}\n".encode())
    for path in kit_files():
        digest.update(str(path.relative_to(assignments.ROOT)).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"(unreadable)")
        digest.update(b"\0")
    return digest.hexdigest()


def key(raw, *, name, student, salt, limits, protections):
    """The cache key of one submission (see module docstring)."""
    digest = hashlib.sha256()
    for part in (kit_fingerprint(), json.dumps(limits.to_json(), sort_keys=True),
                 json.dumps(list(protections)), name, student, salt):
        digest.update(str(part).encode("utf-8", "surrogateescape") + b"\0")
    digest.update(hashlib.sha256(raw).digest())
    return digest.hexdigest()[:32]


def store_of(results_dir, path):
    """The kept-record file of the submission at ``path`` (its exact absolute
    path, never resolved through links)."""
    name = hashlib.sha256(os.path.abspath(path).encode("utf-8", "surrogateescape")).hexdigest()
    return Path(results_dir) / f"{name[:24]}.json"


def load(store, key_):
    """The kept record in ``store`` if its key is ``key_``, else None."""
    try:
        record = json.loads(Path(store).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and record.get("key") == key_ else None


def save(store, record):
    write_atomically(store, json.dumps(record, indent=1))


def write_atomically(path, text):
    """Write ``text`` to ``path`` so a reader sees the old or the new file, never half."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
