"""A sandbox for the student's kernel during grading: ``SandboxedKernelManager`` runs ipykernel inside bubblewrap.

Use it with ``GuardedExecute(kernel_manager_class=SandboxedKernelManager)`` or in a config,
``c.GuardedExecute.kernel_manager_class = "grading.sandbox.SandboxedKernelManager"``; its limits are traitlets
(``c.SandboxedKernelManager.memory_limit = ...``). ``sandbox_available()`` says whether it can work here.

What the kernel sees (bwrap mount namespace):

- read-only: ``/usr`` (with Debian's ``/bin``, ``/lib``... links), a short list of ``/etc`` files (no
  ``/etc/shadow``), the Python installation and the venv (``sys.prefix``, ``sys.base_prefix``, at their own
  paths); the grader's own copy of each package named in ``packages`` (the course's ``helpers``), at
  ``COURSE_PACKAGES/<name>``, which is first on the kernel's ``PYTHONPATH``: the kernel imports exactly the
  helpers the grader imports, wherever the course is checked out (the venv's editable install may point at
  another checkout, which the kernel cannot see);
- read-write: a fresh scratch folder per kernel (its working directory, HOME, TMPDIR, MPLCONFIGDIR) at
  ``sandbox_cwd``, a tmpfs of ``scratch_size`` into which the non-notebook files of the notebook's folder are
  copied when the kernel starts; a private tmpfs ``/tmp`` and ``/dev/shm`` (``tmp_size`` each); the folder
  holding its connection file and ipc sockets. Every tmpfs page counts against the memory cgroup, and a write
  past a tmpfs's size fails with OSError (no space left on device) in the kernel;
- nothing else: not the course folder (solutions, labs, gradebook, submissions, autograded notebooks with
  hidden tests), not ``/work``, ``/root`` (but the Python installation), the host's ``/tmp`` or ``/home``;
  ``/proc`` is the sandbox's own (it lists only the sandbox's processes), there is no ``/sys``.

No network (``--unshare-net``: a loopback of its own with nothing listening), so the grader talks to the kernel
over jupyter_client's ``ipc`` transport (unix sockets in a folder bound into the sandbox at the same path).
Its own pid namespace (``--unshare-pid``): when the kernel exits, or bwrap is killed (``--die-with-parent``),
every process it started dies with it, double-forked daemons included. ``--cap-drop ALL`` (and bwrap sets
no_new_privs, so no setuid program gives them back), ``--new-session``, its own IPC and UTS namespaces.

Limits: the kernel runs as root (uid 0, without capabilities), and Linux never applies RLIMIT_NPROC to root, so
processes are capped by a pids cgroup (v1, ``max_processes`` tasks, threads included) and memory by a memory
cgroup (``memory_limit`` for all its processes and tmpfs together; over it the kernel's OOM killer ends the
biggest process) plus RLIMIT_AS per process at the same value (a big allocation raises MemoryError rather than
killing the kernel); CPU time by RLIMIT_CPU per process (``cpu_time_limit``), file size by RLIMIT_FSIZE. The
cgroups are made under the grader's own cgroups and removed, after killing anything left in them, at shutdown.

Interrupts: a signal to bwrap does not reach the kernel (new session, new pid namespace), so interrupts are
sent as ``interrupt_request`` messages on the control channel (ipykernel answers them from its control thread
while a cell runs); the kernel then sends itself SIGINT.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Dict, Integer, List, Unicode

GiB = 1024**3
MiB = 1024**2

#: The /etc files a Python kernel may need (dynamic linker, locale, time zone, users, fonts); no secrets.
ETC_FILES = ["ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "timezone", "passwd", "group",
             "nsswitch.conf", "host.conf", "hosts", "alternatives", "fonts", "mime.types", "os-release",
             "debian_version", "locale.alias", "ssl/openssl.cnf", "matplotlibrc"]

#: Environment variables passed into the sandbox when the grader has them; everything else is cleared.
PASS_ENV = ["MPLBACKEND", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "PYTHONHASHSEED", "OMP_NUM_THREADS",
            "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "PYDEVD_DISABLE_FILE_VALIDATION"]

#: Where the sandbox sees, read-only, the files prepared for its scratch folder (copied into it at start).
SCRATCH_FILES = "/var/lib/sandbox-scratch"

_CHECKS = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--die-with-parent",
           "--new-session", "--cap-drop", "ALL", "--ro-bind", "/usr", "/usr", "--proc", "/proc",
           "--dev", "/dev"]


def _bwrap_path() -> str | None:
    return shutil.which("bwrap")


def _own_cgroup(controller: str, root: str) -> Path | None:
    """The folder of this process's cgroup for a v1 ``controller`` (its parent for the sandbox's cgroup)."""
    base = Path(root) / controller
    if not (base / "cgroup.procs").exists():
        return None
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            if controller in controllers.split(","):
                own = base / path.lstrip("/")
                if own.is_dir():
                    return own
    return base


def _cgroups_reason(root: str = "/sys/fs/cgroup") -> str | None:
    """None if pids and memory cgroups (v1) can be made here, else why not."""
    for controller in ("pids", "memory"):
        parent = _own_cgroup(controller, root)
        if parent is None:
            return f"no cgroup v1 '{controller}' controller at {root}/{controller}"
        probe = parent / f"grading-sandbox-probe-{uuid.uuid4().hex[:8]}"
        try:
            probe.mkdir()
            probe.rmdir()
        except OSError as error:
            return f"cannot make a {controller} cgroup under {parent}: {error}"
    return None


def sandbox_available(require_cgroups: bool = True) -> str | None:
    """None if the sandbox works on this machine, else the reason it does not (bwrap missing or unable to make
    its namespaces; with ``require_cgroups``, the pids/memory cgroups used for the process and memory caps)."""
    bwrap = _bwrap_path()
    if bwrap is None:
        return "bubblewrap is not installed (apt-get install bubblewrap)"
    args = [bwrap, *_CHECKS]
    for link in ("/bin", "/lib", "/lib64"):
        if os.path.islink(link):
            args += ["--symlink", os.readlink(link), link]
    try:
        result = subprocess.run([*args, "true"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bwrap does not run: {error}"
    if result.returncode != 0:
        return f"bwrap cannot make its sandbox here: {result.stderr.strip() or result.returncode}"
    if require_cgroups:
        return _cgroups_reason()
    return None


#: Where the sandbox sees the grader's own copy of each package in ``packages``; first on the kernel's PYTHONPATH.
COURSE_PACKAGES = "/opt/course"


def package_source(name: str) -> str:
    """The folder (or module file) of package ``name`` as this process imports it; ValueError if it cannot."""
    spec = importlib.util.find_spec(name)
    if spec is None:
        raise ValueError(f"package {name!r} cannot be imported by the grader")
    if spec.submodule_search_locations:
        return str(Path(next(iter(spec.submodule_search_locations))).resolve())
    if spec.origin and spec.origin.endswith(".py"):
        return str(Path(spec.origin).resolve())
    raise ValueError(f"package {name!r} is not a source folder or a .py module: {spec.origin}")


def _matplotlib_font_caches() -> list[str]:
    """The grader's own matplotlib font lists (``fontlist-v*.json``), without importing matplotlib."""
    folders = [os.environ.get("MPLCONFIGDIR"),
               os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "matplotlib")]
    for folder in folders:
        if folder and os.path.isdir(folder):
            found = sorted(str(p) for p in Path(folder).glob("fontlist-v*.json") if p.is_file())
            if found:
                return found
    return []


def _outermost(paths: list[str]) -> list[str]:
    """The paths without those inside another one of them, in order."""
    paths = sorted({os.path.normpath(p) for p in paths if p and os.path.exists(p)})
    kept: list[str] = []
    for path in paths:
        if not any(path == k or path.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(path)
    return kept


def _inside(path: str, folder: str) -> bool:
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return path == folder or path.startswith(folder.rstrip("/") + "/")


class SandboxedKernelManager(AsyncKernelManager):
    """An AsyncKernelManager whose kernel runs in a bubblewrap sandbox (see the module's doc)."""

    memory_limit = Integer(2 * GiB, help="Bytes of memory for the kernel and all its processes together "
                           "(memory cgroup); 0 for none.").tag(config=True)
    address_space_limit = Integer(None, allow_none=True, help="Bytes of address space per process (RLIMIT_AS: "
                                  "a bigger allocation raises MemoryError instead of waking the OOM killer); "
                                  "None: memory_limit; 0: none. Threads reserve address space (stacks, "
                                  "BLAS buffers): raise it on machines with many cores.").tag(config=True)
    max_processes = Integer(512, help="Tasks (processes and threads) the kernel may have at once (pids "
                            "cgroup); 0 for none.").tag(config=True)
    cpu_time_limit = Integer(600, help="CPU seconds per process (RLIMIT_CPU); 0 for none.").tag(config=True)
    file_size_limit = Integer(1 * GiB, help="Largest file the kernel may write (RLIMIT_FSIZE); 0 for "
                              "none.").tag(config=True)
    tmp_size = Integer(512 * MiB, help="Size of the private tmpfs /tmp and /dev/shm.").tag(config=True)
    scratch_size = Integer(512 * MiB, help="Size of the kernel's scratch folder, a tmpfs counted against the "
                           "memory cgroup: writing past it raises OSError (no space left) in the kernel "
                           "only.").tag(config=True)
    require_cgroups = Bool(True, help="Refuse to start a kernel when the pids/memory cgroups cannot be made "
                           "(False: only the rlimits cap it, and nothing caps the number of "
                           "processes).").tag(config=True)
    cgroup_root = Unicode("/sys/fs/cgroup", help="Where the cgroup v1 controllers are mounted.").tag(config=True)
    packages = List(Unicode(), ["helpers"], help="Packages the kernel imports from the grader's own copy (the "
                    "course's helpers): each is bound read-only at COURSE_PACKAGES/<name>, first on the kernel's "
                    "PYTHONPATH.").tag(config=True)
    hidden_packages = List(Unicode(), ["debugpy"], help="Packages of the Python installation the kernel does not "
                           "see (an empty folder over each): ipykernel imports debugpy at start, 0.2 s, for a "
                           "debugger nobody attaches while grading.").tag(config=True)
    readonly_paths = List(Unicode(), help="More host paths the kernel may read, at the same path.").tag(config=True)
    etc_files = List(Unicode(), ETC_FILES, help="Files and folders of /etc the kernel may read.").tag(config=True)
    pass_env = List(Unicode(), PASS_ENV, help="Environment variables passed to the kernel when set.").tag(config=True)
    extra_env = Dict(help="More environment variables for the kernel.").tag(config=True)
    sandbox_cwd = Unicode("/home/student", help="Where the scratch folder appears inside the "
                          "sandbox.").tag(config=True)
    scratch_parent = Unicode(help="Host folder under which each kernel's private folder is made (default: the "
                             "system temp folder); keep it short, unix socket paths are limited to 107 "
                             "bytes.").tag(config=True)
    copy_notebook_folder = Bool(True, help="Copy the non-notebook files of the notebook's folder (cwd) into "
                                "the scratch folder.").tag(config=True)
    copy_limit = Integer(200 * MiB, help="Bytes of the notebook folder's files copied into the scratch "
                         "folder at most.").tag(config=True)
    copy_font_cache = Bool(True, help="Copy the grader's matplotlib font cache into the scratch folder "
                           "(matplotlib takes a second or more to build it in each new kernel).").tag(config=True)
    bwrap = Unicode("bwrap", help="The bubblewrap executable.").tag(config=True)
    extra_bwrap_args = List(Unicode(), help="More bwrap arguments, before the command.").tag(config=True)

    #: The host folders of the running kernel: private root, scratch (the kernel's cwd), ipc sockets.
    private_dir: str | None = None
    scratch_dir: str | None = None
    ipc_dir: str | None = None
    cgroups: list[Path]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cgroups = []
        self._notebook_dir: str | None = None
        self._last_scratch: str | None = None

    # --- start ------------------------------------------------------------------------------------------------

    async def _async_pre_start_kernel(self, **kw):
        self._cleanup_sandbox()  # a restart: a fresh sandbox
        notebook_dir = kw.pop("cwd", None)
        if notebook_dir and notebook_dir == self._last_scratch:  # a restart: the notebook's folder again
            notebook_dir = self._notebook_dir
        self._notebook_dir = notebook_dir
        try:
            self._make_private_dirs(notebook_dir)
            self._make_cgroups()
            self.transport = "ipc"
            self.ip = os.path.join(self.ipc_dir, "k")
            self.connection_file = os.path.join(self.ipc_dir, "kernel.json")
            spec = self.kernel_spec
            if spec is not None:
                spec.interrupt_mode = "message"
            kw["cwd"] = self._last_scratch = self.scratch_dir
            return await super()._async_pre_start_kernel(**kw)
        except BaseException:
            self._cleanup_sandbox()
            raise

    def _make_private_dirs(self, notebook_dir: str | None) -> None:
        for path in self._readonly_paths():
            if notebook_dir and _inside(notebook_dir, path):
                raise RuntimeError(f"the sandbox would let the kernel read {path}, which holds the notebook "
                                   f"{notebook_dir}: use a Python environment outside the course folder")
        parent = self.scratch_parent or tempfile.gettempdir()
        self.private_dir = tempfile.mkdtemp(prefix="grading-sandbox-", dir=parent)
        self.scratch_dir = os.path.join(self.private_dir, "scratch")
        self.ipc_dir = os.path.join(self.private_dir, "ipc")
        os.mkdir(self.ipc_dir, 0o700)
        os.mkdir(self.scratch_dir)
        if notebook_dir and self.copy_notebook_folder and os.path.isdir(notebook_dir):
            self._copy_notebook_folder(notebook_dir)
        mplconfig = os.path.join(self.scratch_dir, ".config", "matplotlib")
        os.makedirs(mplconfig, exist_ok=True)
        if self.copy_font_cache:
            for cache in _matplotlib_font_caches():
                shutil.copy(cache, mplconfig)

    def _copy_notebook_folder(self, folder: str) -> None:
        """Copy the folder's files but notebooks into the scratch folder, up to ``copy_limit`` bytes. Symlinks
        are copied as symlinks: inside the sandbox they lead nowhere the kernel could not go anyway."""
        budget = self.copy_limit
        private = os.path.realpath(self.private_dir)
        for top, dirs, files in os.walk(folder):
            if _inside(top, private):
                dirs[:] = []
                continue
            dirs[:] = [d for d in dirs if d != ".ipynb_checkpoints" and not os.path.islink(os.path.join(top, d))]
            target = os.path.join(self.scratch_dir, os.path.relpath(top, folder))
            os.makedirs(target, exist_ok=True)
            links = [d for d in os.listdir(top) if os.path.islink(os.path.join(top, d))]
            for name in sorted(set(files) | set(links)):
                source = os.path.join(top, name)
                if name.endswith(".ipynb"):
                    continue
                if os.path.islink(source):
                    os.symlink(os.readlink(source), os.path.join(target, name))
                    continue
                if not os.path.isfile(source):
                    continue
                size = os.path.getsize(source)
                if size > budget:
                    self.log.warning("sandbox: %s not copied into the scratch folder: over %d bytes in all",
                                     source, self.copy_limit)
                    continue
                budget -= size
                shutil.copyfile(source, os.path.join(target, name))

    def _make_cgroups(self) -> None:
        self.cgroups = []
        wanted = {"pids": ("pids.max", self.max_processes), "memory": ("memory.limit_in_bytes", self.memory_limit)}
        reason = _cgroups_reason(self.cgroup_root) if any(v for _, v in wanted.values()) else None
        if reason:
            if self.require_cgroups:
                raise RuntimeError(f"sandbox: {reason} (SandboxedKernelManager.require_cgroups=False to go on "
                                   "without process and memory cgroups)")
            self.log.warning("sandbox without cgroups: %s", reason)
            return
        name = os.path.basename(self.private_dir)
        for controller, (limit_file, value) in wanted.items():
            if not value:
                continue
            folder = _own_cgroup(controller, self.cgroup_root) / name
            folder.mkdir()
            self.cgroups.append(folder)
            (folder / limit_file).write_text(str(value))
            if controller == "memory":
                memsw = folder / "memory.memsw.limit_in_bytes"
                if memsw.exists():  # no escape into swap
                    with contextlib.suppress(OSError):
                        memsw.write_text(str(value))

    def _python_paths(self) -> list[str]:
        paths = [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix]
        executable = os.path.realpath(sys.executable)
        paths.append(str(Path(executable).parent.parent))
        return paths

    def _readonly_paths(self) -> list[str]:
        return _outermost([*self._python_paths(), *self.readonly_paths])

    def _package_binds(self) -> list[tuple[str, str]]:
        """(host source, sandbox path) of each package in ``packages``, as the grader imports it."""
        binds = []
        for name in self.packages:
            source = package_source(name)
            binds.append((source, f"{COURSE_PACKAGES}/{os.path.basename(source)}"))
        return binds

    def _hidden_folders(self) -> list[str]:
        """The folders of ``hidden_packages`` that the kernel would import (inside the read-only paths)."""
        folders = []
        for name in self.hidden_packages:
            try:
                folder = package_source(name)
            except ValueError:  # not installed: nothing to hide
                continue
            if os.path.isdir(folder) and any(_inside(folder, path) for path in self._readonly_paths()):
                folders.append(folder)
        return folders

    def _environment(self) -> dict[str, str]:
        home = self.sandbox_cwd
        venv_bin = os.path.dirname(sys.executable)
        env = {"PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin", "HOME": home, "TMPDIR": home,
               "MPLCONFIGDIR": f"{home}/.config/matplotlib", "LANG": "C.UTF-8", "USER": "student",
               "PYTHONNOUSERSITE": "1", "PYTHONPATH": COURSE_PACKAGES,
               "MALLOC_ARENA_MAX": "2",  # glibc reserves 64 MiB of address space per thread's arena otherwise
               # 1: no parent poller in ipykernel (its parent here is bwrap's init, pid 1) and no banner
               "JPY_PARENT_PID": "1"}
        env.update({k: os.environ[k] for k in self.pass_env if k in os.environ})
        env.update(self.extra_env)
        return env

    def bwrap_args(self) -> list[str]:
        """The bwrap command line before the kernel's own command."""
        args = [self.bwrap, "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net",
                "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--hostname", "sandbox",
                "--cap-drop", "ALL", "--clearenv"]
        for key, value in self._environment().items():
            args += ["--setenv", key, value]
        args += ["--ro-bind", "/usr", "/usr"]
        for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
            if os.path.islink(top):
                args += ["--symlink", os.readlink(top), top]
            elif os.path.isdir(top):
                args += ["--ro-bind", top, top]
        for name in self.etc_files:
            args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
        args += ["--proc", "/proc",
                 # uid 0 without capabilities may still write some sysctls (core_pattern!): read-only
                 "--ro-bind", "/proc/sys", "/proc/sys", "--ro-bind-try", "/proc/sysrq-trigger", "/proc/sysrq-trigger",
                 "--ro-bind-try", "/proc/mtrr", "/proc/mtrr", "--ro-bind-try", "/proc/pressure", "/proc/pressure",
                 "--dev", "/dev",
                 "--size", str(self.tmp_size), "--tmpfs", "/dev/shm",
                 "--size", str(self.tmp_size), "--tmpfs", "/tmp"]
        # after the private /tmp, so that a venv or course checkout under the host's /tmp (a CI clone) stays visible
        for path in self._readonly_paths():
            args += ["--ro-bind", path, path]
        for source, target in self._package_binds():
            args += ["--ro-bind", source, target]
        for folder in self._hidden_folders():
            args += ["--tmpfs", folder, "--remount-ro", folder]
        # the scratch folder is a size-limited tmpfs; the files prepared for it are copied in at start
        args += ["--bind", self.ipc_dir, self.ipc_dir,
                 "--ro-bind", self.scratch_dir, SCRATCH_FILES,
                 "--size", str(self.scratch_size), "--tmpfs", self.sandbox_cwd,
                 "--chdir", self.sandbox_cwd,
                 "--remount-ro", "/",  # the folders bwrap made for the mount points: not a place to write
                 *self.extra_bwrap_args]
        return args

    def format_kernel_cmd(self, extra_arguments=None):
        """The kernel's command, run by bwrap with the rlimits set, from a shell that first joins the cgroups
        (so that every process of the sandbox is in them from its first instruction)."""
        command = super().format_kernel_cmd(extra_arguments)
        limits = []
        address_space = self.memory_limit if self.address_space_limit is None else self.address_space_limit
        if address_space:
            limits.append(f"--as={address_space}")
        if self.cpu_time_limit:
            limits.append(f"--cpu={self.cpu_time_limit}")
        if self.file_size_limit:
            limits.append(f"--fsize={self.file_size_limit}")
        join = "".join(f"echo $$ > {shlex.quote(str(folder / 'cgroup.procs'))} && " for folder in self.cgroups)
        prlimit = ["prlimit", *limits, "--"] if limits else []
        fill = ["/bin/sh", "-c", f'cp -pR {SCRATCH_FILES}/. . && exec "$@"', "scratch"]
        return ["/bin/sh", "-c", f'{join}exec "$@"', "sandbox", *prlimit, *self.bwrap_args(), "--", *fill, *command]

    # --- interrupt and shutdown --------------------------------------------------------------------------------

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        """Wait for the killed kernel to exit, looking every 10 ms (jupyter_client: 100 ms; bwrap and everything
        in its pid namespace are gone within a few ms of the kill)."""
        await super()._async_wait(pollinterval=min(pollinterval, 0.01))

    async def _async_interrupt_kernel(self) -> None:
        spec = self.kernel_spec
        if spec is not None:  # signals to bwrap do not reach the kernel
            spec.interrupt_mode = "message"
        await super()._async_interrupt_kernel()

    interrupt_kernel = _async_interrupt_kernel

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        try:
            await super()._async_cleanup_resources(restart=restart)
        finally:
            self._cleanup_sandbox()

    cleanup_resources = _async_cleanup_resources

    def _cleanup_sandbox(self) -> None:
        """Kill whatever is left in the sandbox's cgroups, remove them and the private folder."""
        for folder in self.cgroups:
            self._empty_cgroup(folder)
        self.cgroups = []
        if self.private_dir:
            shutil.rmtree(self.private_dir, ignore_errors=True)
        self.private_dir = self.scratch_dir = self.ipc_dir = None

    def _empty_cgroup(self, folder: Path) -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                pids = [int(p) for p in (folder / "cgroup.procs").read_text().split()]
            except OSError:
                return
            if not pids:
                break
            for pid in pids:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.02)
        try:
            folder.rmdir()
        except OSError as error:
            self.log.warning("sandbox: could not remove cgroup %s: %s", folder, error)
