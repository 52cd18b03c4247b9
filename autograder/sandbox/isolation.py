"""Which protection a batch runs under, and exactly what a child may see.

Two modes (``Limits.isolation``):

- ``"bwrap"`` (what ``"auto"`` means; the grader refuses to run when it is
  not available): every child runs under bubblewrap in its own user, mount,
  pid, network, IPC, UTS and cgroup namespaces (forked by a warm zygote that
  keeps the user namespace, see process.py), as an unprivileged uid (the
  grader's own uid, or ``Limits.uid`` when the grader is root), on a
  read-only root that holds only the Python runtime, the site-packages
  entries numpy and matplotlib need, the system libraries, four device nodes
  and the assignment's student-visible files; its only writable place is a
  size-limited tmpfs.  No /proc (but the sandbox's own for TensorFlow), no /etc
  but the loader cache, no network, no
  kernel keyring, no System V or POSIX IPC, no new processes (threads only),
  no sockets at all (``seccomp.py``).  ``launch.py`` sets the
  child up and execs bwrap; the same steps run for root and for an ordinary
  user, so both get the same isolation.
- ``"none"``: a plain child process in a scratch dir, with rlimits and a
  process-group kill.  Only when asked for explicitly; every record and the
  table then say the grades are unprotected.

``Workspace`` is one batch's temporary directory (mode 0711): the child and
launcher scripts, the compiled filter, the assignment files (staged once per
assignment), a prebuilt matplotlib font cache, and scratch dirs.  The first
workspace of a process checks, inside a real sandbox, that nothing of the kit
(graders, reference, course secret, gradebook) is reachable, and refuses to
grade otherwise.
"""
import functools
import glob
import itertools
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from .limits import seconds, size
from .seccomp import SeccompUnavailable, compile_filter

PACKAGE = Path(__file__).resolve().parents[1]     # autograder/
REPO = PACKAGE.parent                              # the course directory
CHILD_SCRIPT = Path(__file__).with_name("child.py")
LAUNCH_SCRIPT = Path(__file__).with_name("launch.py")
WORKDIR = "/sandbox"                  # the child's working directory (its tmpfs)
FILES, BIN, SITE = "/dlkit/files", "/dlkit/bin", "/dlkit/site"    # read-only, in the child
DEVICES = ("null", "zero", "random", "urandom")
MODES = ("auto", "bwrap", "none")
PROBE_SECONDS = 120                   # the start-up checks; seconds normally
ZYGOTE_EXIT_SECONDS = 2               # a closed zygote ends in milliseconds, then it is killed
# What no sandbox may show: a name of the kit's files, anywhere it can read.
KIT_MARKERS = ("nbgrader_hidden.py", ".dlkit_secret", "gradebook.db")
KIT_PREFIXES = ("dlkit_autograder", "__editable__.dlkit_autograder", "__editable___dlkit_autograder")


class SandboxUnavailable(RuntimeError):
    """No sandbox can be had here; the message says what is missing and what to do."""


@dataclass(frozen=True)
class Isolation:
    mode: str                # "bwrap" or "none"
    uid: int                 # the child's uid on the host

    @property
    def protected(self):
        return self.mode == "bwrap"

    def protections(self, limits):
        """What protects the grade, in words, for the JSON and the table footer."""
        common = [f"limits: {seconds(limits.call_seconds)} per call, "
                  f"{seconds(limits.cell_seconds)} per cell, "
                  f"{seconds(limits.submission_seconds)} per submission, "
                  f"{limits.cpu_seconds} s CPU, {size(limits.memory_bytes)} of memory, "
                  f"{size(limits.disk_bytes)} of files, {size(limits.output_bytes)} output kept",
                  "results travel as JSON and raw numeric arrays (no pickle) and are checked and scored "
                  "in the grader's process"]
        if not self.protected:
            return ["UNPROTECTED (--isolation none): the submission's code ran as the grader's "
                    "user with no sandbox; it could read the graders and change these grades",
                    "separate process per submission, killed with its process group", *common]
        return ["bubblewrap sandbox; a process per submission (forked from a warm process "
                "that runs no student code) with its own mount, pid, network, IPC, UTS and "
                "cgroup namespaces, in a user namespace; a read-only root with only the Python runtime, "
                "numpy, matplotlib and the assignment's files (nothing of the grader, the "
                "course or other submissions); a size-limited private tmpfs",
                f"unprivileged uid {self.uid}; no new processes (threads only, at most "
                f"{limits.processes}); no network; no kernel keyrings, IPC objects or "
                "sockets (seccomp)",
                "killed with everything it started when a limit trips or the grader exits",
                *common]


def detect(limits):
    """The Isolation for ``limits.isolation``; raises SandboxUnavailable when a
    sandbox is wanted ("auto", "bwrap") and cannot be had."""
    mode = limits.isolation
    if mode not in MODES:
        raise ValueError(f"unknown isolation {mode!r} (one of {', '.join(MODES)})")
    if mode == "none":
        return Isolation("none", os.getuid())
    problem = _bwrap_problem()
    if problem:
        raise SandboxUnavailable(
            f"no sandbox on this machine: {problem}.  Install bubblewrap (Debian/Ubuntu: "
            "apt-get install bubblewrap) and allow unprivileged user namespaces, or pass "
            "--isolation none to grade WITHOUT protection (fine for your own test notebooks, "
            "not for students')")
    return Isolation("bwrap", limits.uid if os.geteuid() == 0 else os.getuid())


@functools.lru_cache(maxsize=None)
def _bwrap_problem():
    """Why bwrap cannot be used here, or "" (checked once per process)."""
    if sys.platform != "linux":
        return "the sandbox needs Linux"
    if not shutil.which("bwrap"):
        return "bubblewrap (bwrap) is not installed"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            compile_filter(os.path.join(tmp, "filter.bpf"))
    except SeccompUnavailable as exc:
        return str(exc)
    return ""


# ------------------------------------------------------------ the runtime

@dataclass(frozen=True)
class Layout:
    python: str              # the real interpreter (not the venv's symlink)
    stdlib: tuple            # its standard-library sys.path entries
    sites: tuple             # site-packages dirs holding numpy and matplotlib
    entries: tuple           # site entries the child needs: (name, host path)

    def child_sys_path(self):
        return [WORKDIR, *self.stdlib, SITE]


CHILD_DISTRIBUTIONS = ("numpy", "matplotlib")     # and what they require, recursively
# Shown too when installed: an assignment's graders may need them (REQUIRES)
OPTIONAL_DISTRIBUTIONS = ("tensorflow",)


def _requirement_closure(names):
    """Distribution names ``names`` need, recursively (their own included)."""
    import importlib.metadata as md
    import re
    todo, seen = list(names), set()
    while todo:
        name = re.split(r"[\s;<>=!~\[(]", todo.pop(), maxsplit=1)[0].lower().replace("_", "-")
        if not name or name in seen:
            continue
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            continue
        seen.add(name)
        todo += [r for r in (dist.requires or []) if "extra ==" not in r]
    return seen


def _top_level_entries(distributions, sites):
    """{top-level name: host path} of the files these distributions install."""
    import importlib.metadata as md
    entries = {}
    for name in distributions:
        dist = md.distribution(name)
        for file in dist.files or []:
            top = file.parts[0]
            if top.endswith((".dist-info", ".egg-info")) or top in ("..", "__pycache__"):
                continue
            for site in sites:
                path = os.path.join(site, top)
                if os.path.exists(path):
                    entries.setdefault(top, path)
    return entries


@functools.lru_cache(maxsize=None)
def python_layout():
    """The runtime a child needs: the interpreter, its standard library, and
    the site-packages entries of numpy, matplotlib and what they require."""
    python = os.path.realpath(sys.executable)
    prefix = os.path.realpath(sys.base_prefix)
    stdlib = [p for p in map(os.path.realpath, sys.path)
              if p.startswith(prefix + os.sep) and "-packages" not in p and os.path.isdir(p)]
    sites = []
    for name in CHILD_DISTRIBUTIONS:
        module = __import__(name)
        site = os.path.realpath(os.path.dirname(os.path.dirname(module.__file__)))
        if site not in sites:
            sites.append(site)
    import importlib.util
    wanted = list(CHILD_DISTRIBUTIONS)
    for name in OPTIONAL_DISTRIBUTIONS:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            wanted.append(name)
            site = os.path.realpath(os.path.dirname(os.path.dirname(spec.origin)))
            if site not in sites:
                sites.append(site)
    entries = _top_level_entries(_requirement_closure(wanted), sites)
    for site in sites:               # shared libraries the wheels bundle
        for libs in glob.glob(os.path.join(site, "*.libs")):
            entries.setdefault(os.path.basename(libs), libs)
    for name, path in entries.items():
        if name == "autograder" or name.startswith(KIT_PREFIXES) or path == str(PACKAGE):
            raise SandboxUnavailable(f"{path} would show the grader to the sandbox")
    return Layout(python, tuple(stdlib), tuple(sites), tuple(sorted(entries.items())))


def _system_mounts(layout):
    """[(kind, host path, path in the child)]: what the read-only root shows."""
    mounts = []
    for path in ("/usr/lib", "/usr/lib64", "/usr/lib32", "/lib", "/lib64", "/lib32"):
        if os.path.islink(path):
            mounts.append(("symlink", os.readlink(path), path))
        elif os.path.isdir(path):
            mounts.append(("dir", path, path))
    prefix = os.path.realpath(sys.base_prefix)
    if not any(prefix == m[2] or prefix.startswith(m[2] + os.sep) for m in mounts):
        mounts.append(("dir", prefix, prefix))
    if not any(layout.python.startswith(m[2] + os.sep) for m in mounts if m[0] == "dir"):
        mounts.append(("file", layout.python, layout.python))
    if os.path.isfile("/etc/ld.so.cache"):
        mounts.append(("file", "/etc/ld.so.cache", "/etc/ld.so.cache"))
    mounts += [("entry", path, f"{SITE}/{name}") for name, path in layout.entries]
    return mounts


def _masks(mounts):
    """Installed-package dirs inside the bound system paths: covered by an empty
    read-only tmpfs, so a copy of the kit installed there cannot be read."""
    found = []
    for kind, host, inside in mounts:
        if kind != "dir":
            continue
        for pattern in ("python3*/*-packages", "lib*/python3*/*-packages", "python3/*-packages",
                        "local/lib/python3*/*-packages"):
            for path in glob.glob(os.path.join(host, pattern)):
                if os.path.isdir(path):
                    found.append(inside + path[len(host):])
    return sorted(set(found))


# ------------------------------------------------------------ the batch

class Workspace:
    """One batch's temporary directory (see module docstring); ``close()`` removes it."""

    def __init__(self, limits):
        self.limits = limits
        self.isolation = detect(limits)
        self.layout = python_layout()
        self.python, self.stdlib, self.sites = (self.layout.python, list(self.layout.stdlib),
                                                list(self.layout.sites))
        self.base = Path(tempfile.mkdtemp(prefix="dlkit-sandbox-", dir=_traversable_tmp()))
        os.chmod(self.base, 0o711)          # the sandbox uid may pass, not list
        self._count = itertools.count()
        self.bin = self.new_dir("bin")
        self.script = self.bin / "child.py"
        shutil.copyfile(CHILD_SCRIPT, self.script)
        self.launcher = self.bin / "launch.py"
        shutil.copyfile(LAUNCH_SCRIPT, self.launcher)
        self._stages = {}
        self._preload = {}           # stage -> packages its zygote imports (its REQUIRES);
                                     # their runtime (TensorFlow) also needs /proc
        self.spares = {}         # (stage, limits) -> [started, unused children] (backend.py)
        self.max_spares = 1      # per (stage, limits): one per concurrent grader thread
        self.lock = threading.Lock()        # spares, zygotes and stages, for graders on threads
        self.zygotes = {}        # stage -> [idle zygotes] (process.py)
        self.all_zygotes = []    # every zygote started, killed by close()
        self.closed = False
        if self.isolation.protected:
            self.bwrap = shutil.which("bwrap")
            self.mounts = _system_mounts(self.layout)      # the same for every child
            self.masks = _masks(self.mounts)
            # the child's filter, also in bin/: a zygote's child loads it itself
            self.filter = compile_filter(str(self.bin / "child.bpf"))
            self.zygote_filter = compile_filter(str(self.base / "zygote.bpf"), zygote=True)
            self.staging = self.new_dir("rt")
            os.chmod(self.staging, 0o755)
            _audit(self)

    def new_dir(self, kind):
        path = self.base / f"{kind}-{next(self._count)}"
        path.mkdir()
        os.chmod(path, 0o755)
        return path

    def stage(self, assignment):
        """A dir holding the assignment's student-visible .py files and the font cache."""
        with self.lock:
            return self._stage(assignment)

    def _stage(self, assignment):
        if assignment not in self._stages:
            stage = self.new_dir(f"files-{assignment}")
            source = assignment_files_dir(assignment)
            files = sorted(source.iterdir()) if source is not None else []
            if not files:       # the two files linked into every assignment folder
                files = [PACKAGE / "numerics.py", PACKAGE / "checks.py"]
            for path in files:
                if path.suffix == ".py" and path.is_file():         # follows the symlinks
                    shutil.copyfile(path, stage / path.name)
            for name, data in self.font_cache():
                (stage / name).write_bytes(data)
            for path in stage.iterdir():
                os.chmod(path, 0o644)
            required = _required(assignment)
            if required:
                self._preload[str(stage)] = required
            self._stages[assignment] = stage
        return self._stages[assignment]

    def bwrap_command(self, stage, command, env, zygote=False):
        """The launcher argv that runs ``command`` (argv, paths as the child sees
        them) in a sandbox showing ``stage`` at /dlkit/files, with ``env``.

        zygote: the sandbox of a warm process that forks one child per
        submission (process.py's ``Zygote``): CAP_SYS_ADMIN inside its own user
        namespace (to give each child new namespaces and a fresh tmpfs) and the
        zygote filter; the child drops both before any student code runs."""
        iso, limits = self.isolation, self.limits
        mounts = self.mounts + [("dir", str(stage), FILES), ("dir", str(self.bin), BIN)]
        root = os.geteuid() == 0
        staged = []
        args = ["--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent",
                "--new-session", "--uid", "65534", "--gid", "65534", "--hostname", "sandbox",
                "--clearenv"]
        if zygote:      # no bwrap init: under /proc (TensorFlow) it would be a process
            # without capabilities, whose memory a child could open; the zygote is pid 1
            args += ["--cap-add", "CAP_SYS_ADMIN", "--as-pid-1"]
        for kind, host, inside in mounts:
            if kind == "symlink":
                args += ["--symlink", host, inside]
                continue
            if root:            # bound by the launcher under the staging dir (launch.py)
                target = f"{self.staging}/{len(staged)}"
                staged.append([host, target])
                host = target
            args += ["--ro-bind", host, inside]
        for mask in self.masks:
            args += ["--size", "4096", "--tmpfs", mask, "--remount-ro", mask]
        for name in DEVICES:
            args += ["--dev-bind", f"/dev/{name}", f"/dev/{name}"]
        if str(stage) in self._preload:     # the sandbox's own /proc
            args += ["--proc", "/proc"]
        args += ["--size", str(limits.disk_bytes), "--tmpfs", WORKDIR, "--dir", f"{WORKDIR}/tmp",
                 "--symlink", f"{WORKDIR}/tmp", "/tmp", "--remount-ro", "/", "--chdir", WORKDIR]
        for key, value in env.items():
            args += ["--setenv", key, value]
        config = {"bwrap": self.bwrap, "args": args,
                  "seccomp": self.zygote_filter if zygote else self.filter,
                  "command": list(command),
                  "stage": {"root": str(self.staging), "mounts": staged} if root else None,
                  "uid": iso.uid if root else None, "gid": _gid(iso.uid) if root else None}
        return [self.layout.python, "-I", "-S", "-B", str(self.launcher), json.dumps(config)]

    def font_cache(self):
        """matplotlib's font list [(file name, bytes)], built once per process
        and layout (saves ~0.4 s per interpreter that imports matplotlib)."""
        if self.layout not in _FONTS:
            folder = self.new_dir("mplconfig")
            code = f"import sys; sys.path[:] = {self.stdlib + self.sites!r}; import matplotlib.font_manager"
            env = {"PATH": "/usr/bin:/bin", "MPLCONFIGDIR": str(folder), "HOME": str(folder)}
            try:
                subprocess.run([self.python, "-I", "-S", "-c", code], env=env, timeout=PROBE_SECONDS,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            except (OSError, subprocess.SubprocessError):
                pass
            _FONTS[self.layout] = [(p.name, p.read_bytes())
                                   for p in sorted(folder.glob("fontlist-*.json"))]
        return _FONTS[self.layout]

    def preload(self, stage):
        """Packages the zygote of ``stage`` imports for its children (TensorFlow:
        ~4 s per child otherwise; importing it starts no thread, so it forks)."""
        return list(self._preload.get(str(stage), ()))

    def close(self):
        with self.lock:
            self.closed = True
            spares = [child for pool in self.spares.values() for child in pool]
            self.spares, zygotes, self.all_zygotes, self.zygotes = {}, self.all_zygotes, [], {}
        for child in spares:
            child.kill()
        for zygote in zygotes:
            zygote.kill(grace=ZYGOTE_EXIT_SECONDS)
        shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _required(assignment):
    """The optional packages (import names) an assignment's graders declare
    (``REQUIRES``; TensorFlow).  TensorFlow reads /proc/self/exe and dies
    without it, so these stages get the sandbox's own /proc: it shows the
    sandbox's processes only (the zygote, a child's holder and init, the
    child; their memory, fds and environment are closed to the child, which
    has none of their capabilities), but its mountinfo names the host paths of
    the read-only runtime mounts; the other stages get no /proc."""
    try:
        from autograder.grading import grader_module
        return sorted(getattr(grader_module(assignment), "REQUIRES", None) or ())
    except ImportError:
        return []


def _traversable_tmp():
    """The temp dir, if the sandbox uid can pass through every folder above it
    (as root the child's uid is another user's); else /tmp."""
    tmp = tempfile.gettempdir()
    if os.geteuid() != 0:
        return tmp
    for folder in [*Path(tmp).resolve().parents, Path(tmp).resolve()]:
        if not os.stat(folder).st_mode & 0o001:
            return "/tmp"
    return tmp


def _gid(uid):
    try:
        return pwd.getpwuid(uid).pw_gid
    except KeyError:
        return uid


AUDIT_CODE = r"""
import os, sys
markers, prefixes = set(sys.argv[1].split(",")), tuple(sys.argv[2].split(","))
found = []
for root, dirs, files in os.walk("/"):
    if root == "/dev":
        dirs[:] = []
        continue
    for name in dirs + files:
        if name in markers or name.startswith(prefixes) or (
                name == "autograder" and os.path.isdir(os.path.join(root, name, "graders"))):
            found.append(os.path.join(root, name))
print("\n".join(found[:20]))
"""


_AUDITED = set()        # (isolation, layout) whose sandbox root was walked in this process
_FONTS = {}             # layout -> matplotlib's font list [(file name, bytes)]


def checked_once():
    """What this process has checked and built once (audits, font lists), for
    the grading workers it starts (``trust_checked``): a worker of the same
    runtime need not walk the sandbox root again."""
    return {"audited": set(_AUDITED), "fonts": dict(_FONTS)}


def trust_checked(checked):
    """In a worker started by the grader: take what its parent checked."""
    _AUDITED.update(checked["audited"])
    for layout, fonts in checked["fonts"].items():
        _FONTS.setdefault(layout, fonts)


def _audit(workspace):
    """Walk the whole root a child sees; refuse to grade if anything of the kit
    is there (once per process and layout)."""
    key = (workspace.isolation, workspace.layout)
    if key in _AUDITED:
        return
    from .process import run_probe      # process.py imports this module
    out = run_probe(workspace, [workspace.layout.python, "-I", "-S", "-c", AUDIT_CODE,
                                ",".join(KIT_MARKERS), ",".join(KIT_PREFIXES)])
    if out is None:
        raise SandboxUnavailable("the sandbox does not start here (bubblewrap failed; see the "
                                 "message above): pass --isolation none to grade without "
                                 "protection")
    if out.strip():
        raise SandboxUnavailable("the sandbox would let a submission read files of the grader:\n"
                                 + out.strip())
    _AUDITED.add(key)


def assignment_files_dir(assignment):
    """Where the student-visible files of an assignment live: release/<id>/ if
    built, else source/<id>/ (None if neither)."""
    for root in ("release", "source"):
        folder = REPO / root / assignment
        if folder.is_dir():
            return folder
    return None
