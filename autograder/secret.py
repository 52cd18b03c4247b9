"""The course secret, and the per-submission salt of the graders' inputs.

Grader inputs must be unpredictable to students (the repository is public:
an input drawn from a fixed seed could be answered from a stored table, or
from one submission's feedback) yet reproducible for the instructor.  So they
are drawn from ``inputs_salt(secret, notebook bytes)``: an HMAC of the
notebook's content under a course secret that lives beside the course (never
in release/, gitignored), created on first use.  The same secret and the same
notebook give the same inputs, and the same grade; a record keeps the salt
(``record["inputs_salt"]``) so a grade can be reproduced without the secret.
"""
import hashlib
import hmac
import os
import secrets
from pathlib import Path

SECRET_NAME = ".dlkit_secret"       # in the course directory; see .gitignore
ENV = "DLKIT_SECRET_FILE"           # overrides where the secret file lives


def secret_path(course_dir):
    return Path(os.environ.get(ENV) or Path(course_dir) / SECRET_NAME)


def course_secret(course_dir):
    """The course secret (bytes) from ``course_dir``/.dlkit_secret, created
    (mode 0600, 32 random bytes as hex) if there is none yet."""
    path = secret_path(course_dir)
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        text = secrets.token_hex(32)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError:         # another grader made it first: use theirs
            return course_secret(course_dir)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(text + "\n")
    if len(text) < 32:
        raise ValueError(f"{path}: the course secret is too short (32+ hex characters)")
    return text.encode("ascii")


def inputs_salt(secret, notebook_bytes):
    """The salt of one submission's grader inputs: hex HMAC-SHA256 of its bytes."""
    return hmac.new(secret, hashlib.sha256(notebook_bytes).digest(), hashlib.sha256).hexdigest()[:32]
