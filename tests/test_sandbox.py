"""The grading sandbox (grading.sandbox): a real ipykernel started by SandboxedKernelManager, with student-like
code that tries to read the course's secrets, write outside its scratch folder, open connections, hoard memory,
fork without end, leave a process behind and loop forever.

Without bubblewrap (or the cgroups it relies on) the tests are skipped with the reason (``apt-get install
bubblewrap``), except under CI (``CI=true``), where they fail: .ci/run installs it."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import threading
import time
import uuid
from pathlib import Path

import nbformat
import pytest

from grading.sandbox import GiB, MiB, SandboxedKernelManager, sandbox_available

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module", autouse=True)
def sandbox_here():
    reason = sandbox_available()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the grading sandbox is required in CI (.ci/run installs bubblewrap): {reason}")
        pytest.skip(f"no grading sandbox here ({reason}): apt-get install bubblewrap")


class Kernel:
    """A sandboxed kernel driven synchronously from a test, on an event loop of its own."""

    def __init__(self, cwd: Path, **traits):
        self.loop = asyncio.new_event_loop()
        traits.setdefault("extra_env", {"MPLBACKEND": "agg"})
        self.km = SandboxedKernelManager(kernel_name="python3", **traits)
        self.run(self.km.start_kernel(cwd=str(cwd)))
        self.kc = self.km.client()
        self.kc.start_channels()
        try:
            self.run(self.kc.wait_for_ready(timeout=60))
        except BaseException:
            self.shutdown(now=True)
            raise

    def run(self, awaitable):
        return self.loop.run_until_complete(awaitable)

    def execute(self, code: str, timeout: float = 60) -> dict:
        """Run ``code``; its stdout, and its error (ename, evalue) if it failed."""
        out = {"stdout": "", "ename": None, "evalue": None}

        def hook(msg):
            content = msg["content"]
            if msg["msg_type"] == "stream" and content["name"] == "stdout":
                out["stdout"] += content["text"]
            elif msg["msg_type"] == "error":
                out["ename"], out["evalue"] = content["ename"], content["evalue"]

        reply = self.run(self.kc.execute_interactive(code, timeout=timeout, output_hook=hook))
        out["status"] = reply["content"]["status"]
        return out

    def json(self, code: str, timeout: float = 60):
        """Run ``code``, which prints one JSON value last; that value."""
        result = self.execute(code, timeout)
        assert result["status"] == "ok", result
        return json.loads(result["stdout"].strip().splitlines()[-1])

    def alive(self) -> bool:
        return self.run(self.km.is_alive())

    def shutdown(self, now: bool = False) -> None:
        self.kc.stop_channels()
        self.run(self.km.shutdown_kernel(now=now))
        self.loop.close()


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A course-like folder on the host: a gradebook, an autograded notebook with hidden tests next to a data
    file the notebook uses, another student's submission."""
    course = tmp_path_factory.mktemp("sandbox") / "course"
    folder = course / "autograded" / "alice" / "lab"
    folder.mkdir(parents=True)
    (course / "gradebook.db").write_text("SECRET-GRADEBOOK")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("assert answer == 42  # SECRET-HIDDEN-TEST")])
    nbformat.write(nb, str(folder / "lab.ipynb"))
    (folder / "data.csv").write_text("x,y\n1,2\n")
    (folder / "data").mkdir()
    (folder / "data" / "more.txt").write_text("more")
    other = course / "submitted" / "bob" / "lab"
    other.mkdir(parents=True)
    (other / "lab.ipynb").write_text("SECRET-BOB")
    return course


@pytest.fixture(scope="module")
def kernel(course):
    kernel = Kernel(course / "autograded" / "alice" / "lab")
    yield kernel
    kernel.shutdown()


def notebook_folder(course: Path) -> Path:
    return course / "autograded" / "alice" / "lab"


# --- what runs ----------------------------------------------------------------------------------------------------

def test_code_runs_with_numpy_matplotlib_and_helpers(kernel):
    got = kernel.json("""
import json, os
import numpy as np
import matplotlib
import matplotlib.pyplot as plt
import helpers
fig, ax = plt.subplots()
ax.plot(np.arange(3))
fig.savefig("figure.png")
print(json.dumps([int(np.arange(5).sum()), matplotlib.get_backend(), helpers.__name__,
                  os.path.getsize("figure.png") > 0]))
""")
    assert got == [10, "agg", "helpers", True]


def test_debugpy_is_hidden_from_the_kernel_and_its_empty_folder_is_read_only(kernel):
    """ipykernel imports debugpy at start (0.2 s) for a debugger no one attaches while grading: the sandbox lays a
    read-only empty folder over it, so the kernel runs without its debugger, and nothing can be put there."""
    import debugpy

    folder = str(Path(debugpy.__file__).parent)
    got = kernel.json(f"""
import json, os
try:
    from debugpy.server import api
    imported = True
except ImportError:
    imported = False
from ipykernel.debugger import _is_debugpy_available
try:
    open({folder!r} + "/__init__.py", "w")
    wrote = True
except OSError:
    wrote = False
print(json.dumps([imported, _is_debugpy_available, os.listdir({folder!r}), wrote]))
""")
    assert got == [False, False, [], False]
    assert (Path(folder) / "__init__.py").is_file(), "the host's debugpy is untouched"


def test_scratch_folder_is_private_cwd_home_and_tmpdir_with_the_notebook_folder_files_but_not_the_notebook(
        kernel, course):
    got = kernel.json("""
import json, os, tempfile
print(json.dumps([os.getcwd(), os.environ["HOME"], tempfile.gettempdir(), os.environ["MPLCONFIGDIR"],
                  sorted(os.listdir(".")), open("data.csv").read(), open("data/more.txt").read()]))
""")
    cwd, home, tmpdir, mplconfig, listing, data, more = got
    assert cwd == home == tmpdir == "/home/student"
    assert mplconfig.startswith(cwd)
    assert "lab.ipynb" not in listing and "data.csv" in listing
    assert (data, more) == ("x,y\n1,2\n", "more")
    assert cwd != str(notebook_folder(course))


def test_cannot_read_the_course_the_notebook_the_gradebook_or_other_students(kernel, course):
    secrets = [ROOT / "solutions" / "01_distributions" / "01_distributions.ipynb", ROOT / "tests" / "conftest.py",
               ROOT / "gradebook.db", ROOT / "nbgrader_config.py", course / "gradebook.db",
               notebook_folder(course) / "lab.ipynb", course / "submitted" / "bob" / "lab" / "lab.ipynb",
               Path("/root/.bashrc"), Path("/etc/shadow")]
    for path in secrets[:3]:
        assert path.exists() or path.name == "gradebook.db", path  # the secrets are there, on the host
    got = kernel.json(f"""
import json, os
result = {{}}
for path in {[str(p) for p in secrets]!r}:
    try:
        with open(path, "rb") as f:
            result[path] = f.read(100).decode(errors="replace")
    except OSError as error:
        result[path] = type(error).__name__
listings = {{}}
for folder in ["/work", {str(ROOT)!r}, "/root", "/tmp", {str(course)!r}, {str(ROOT / "solutions")!r}]:
    try:
        listings[folder] = sorted(os.listdir(folder))
    except OSError as error:
        listings[folder] = type(error).__name__
print(json.dumps([result, listings]))
""")
    result, listings = got
    for path, what in result.items():
        assert what in ("FileNotFoundError", "PermissionError"), (path, what)
    assert set(listings.get(str(ROOT), [])) <= {".venv", "helpers"}  # the venv and helpers only, if there
    assert listings["/root"] in ([".pyenv"], [], "FileNotFoundError")  # the Python installation only, if there
    assert listings[str(course)] == "FileNotFoundError"
    assert listings[str(ROOT / "solutions")] == "FileNotFoundError"
    # the sandbox's /tmp is its own: it holds only its ipc folder and, where this checkout lives under the
    # host's /tmp (a CI clone), the empty folders leading to the read-only venv and helpers
    checkout = ROOT.parts[2] if ROOT.parts[1:2] == ("tmp",) else None
    assert all("grading-sandbox" in name or name == checkout for name in listings["/tmp"]), listings["/tmp"]


def test_can_write_only_in_scratch_and_private_tmp(kernel, course):
    targets = [str(ROOT / "helpers" / "x.py"), str(ROOT / "x"), str(ROOT / ".venv" / "x"), "/usr/x", "/etc/x",
               "/x", "/root/x", str(notebook_folder(course) / "x"), str(notebook_folder(course) / "lab.ipynb"),
               str(course / "gradebook.db"), "/proc/sys/kernel/core_pattern"]
    got = kernel.json(f"""
import json
result = {{}}
for path in {targets!r} + ["/home/student/ok.txt", "/tmp/ok.txt", "/dev/shm/ok.txt"]:
    try:
        with open(path, "a") as f:
            f.write("HACKED")
        result[path] = "written"
    except OSError as error:
        result[path] = type(error).__name__
print(json.dumps(result))
""")
    for path in targets:
        if path.startswith("/tmp/") and got[path] == "written":
            continue  # landed in the sandbox's own /tmp (this checkout is under the host's /tmp): checked below
        assert got[path] != "written", path
    assert got["/home/student/ok.txt"] == got["/tmp/ok.txt"] == got["/dev/shm/ok.txt"] == "written"
    assert not Path("/tmp/ok.txt").exists() or "HACKED" not in Path("/tmp/ok.txt").read_text()
    assert not (ROOT / "x").exists() and not (ROOT / "helpers" / "x.py").exists()
    assert (course / "gradebook.db").read_text() == "SECRET-GRADEBOOK"
    assert "HACKED" not in (notebook_folder(course) / "lab.ipynb").read_text()
    assert not (notebook_folder(course) / "x").exists()


def test_no_capabilities_and_no_way_to_regain_them(kernel):
    got = kernel.json("""
import json, subprocess
status = subprocess.run(["cat", "/proc/self/status"], capture_output=True, text=True).stdout
print(json.dumps({line.split(":")[0]: line.split(":")[1].strip() for line in status.splitlines()
                  if line.startswith(("CapEff", "CapPrm", "NoNewPrivs"))}))
""")
    assert got == {"CapEff": "0000000000000000", "CapPrm": "0000000000000000", "NoNewPrivs": "1"}


def test_no_network_neither_the_hosts_loopback_nor_outside(kernel):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(0.2)
    accepted = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                accepted.append(listener.accept())
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    port = listener.getsockname()[1]
    try:
        got = kernel.json(f"""
import json, socket
result = {{}}
for name, address in [("loopback", ("127.0.0.1", {port})), ("outside", ("1.1.1.1", 80)),
                      ("dns", ("8.8.8.8", 53))]:
    try:
        socket.create_connection(address, timeout=3).close()
        result[name] = "connected"
    except OSError as error:
        result[name] = type(error).__name__
try:
    socket.getaddrinfo("example.com", 80)
    result["resolve"] = "resolved"
except OSError as error:
    result["resolve"] = type(error).__name__
print(json.dumps(result))
""")
    finally:
        stop.set()
        thread.join()
        listener.close()
    assert "connected" not in got.values() and got["resolve"] != "resolved", got
    assert got["loopback"] == "ConnectionRefusedError"  # a loopback of its own, where nothing listens
    assert accepted == []


# --- what is capped -----------------------------------------------------------------------------------------------

def test_memory_bomb_raises_memory_error_and_the_kernel_lives_on(tmp_path):
    kernel = Kernel(tmp_path, memory_limit=1 * GiB)
    try:
        big = kernel.execute("import numpy as np\nhoard = np.ones(3 * 1024**3 // 8)")
        assert big["ename"] == "MemoryError", big
        grow = kernel.execute("hoard = []\nwhile True:\n    hoard.append(bytearray(50 * 1024**2))")
        assert grow["ename"] == "MemoryError", grow
        assert kernel.json("del hoard\nprint(1 + 1)") == 2
    finally:
        kernel.shutdown()


def test_a_scratch_flood_gets_no_space_left_in_its_own_kernel_and_stops_at_the_cap(tmp_path):
    """The scratch folder is a tmpfs of scratch_size: a submission writing past it gets OSError (ENOSPC) in its
    kernel, the host's disk is not touched, and the kernel lives on."""
    folder = tmp_path / "lab"
    folder.mkdir()
    (folder / "data.csv").write_text("x\n1\n")
    kernel = Kernel(folder, scratch_size=64 * 1024 * 1024)
    try:
        got = kernel.json("""
import errno, json, os
written, error = 0, None
block = b"x" * (1 << 20)
try:
    with open("flood.bin", "wb") as handle:
        for _ in range(3 * 1024):  # 3 GiB, far past the cap
            handle.write(block)
            handle.flush()
            written += len(block)
except OSError as problem:
    error = errno.errorcode.get(problem.errno, str(problem.errno))
os.remove("flood.bin")
print(json.dumps({"written": written, "error": error, "data": open("data.csv").read()}))
""")
        assert got["error"] == "ENOSPC" and got["written"] < 64 * 1024 * 1024, got
        assert got["data"] == "x\n1\n", "the notebook folder's files are in the scratch folder"
        assert kernel.json("print(1 + 1)") == 2
        assert not any(p.stat().st_size > 1024 * 1024 for p in tmp_path.rglob("*") if p.is_file())
    finally:
        kernel.shutdown(now=True)


def test_memory_of_all_processes_together_is_capped_by_the_cgroup(tmp_path):
    """Each child stays under the per-process limit; together they pass the cgroup's: the OOM killer ends some."""
    kernel = Kernel(tmp_path, memory_limit=512 * MiB, address_space_limit=0)
    try:
        codes = kernel.json("""
import json, os, time
children = []
for _ in range(4):
    pid = os.fork()
    if pid == 0:
        try:
            block = bytearray(200 * 1024**2)  # touched: resident
            time.sleep(5)
        finally:
            os._exit(0)
    children.append(pid)
print(json.dumps([os.waitpid(pid, 0)[1] for pid in children]))
""", timeout=120)
        assert any(os.WIFSIGNALED(code) and os.WTERMSIG(code) == 9 for code in codes), codes
        assert kernel.alive()
    finally:
        kernel.shutdown()


def test_fork_bomb_is_stopped_and_every_fork_is_gone_after_shutdown(tmp_path):
    kernel = Kernel(tmp_path, max_processes=200)
    try:
        n, error = kernel.json("""
import json, os, time
n, error = 0, None
try:
    while n < 3000:  # bounded, in case the cap did not work
        if os.fork() == 0:
            time.sleep(60)
            os._exit(0)
        n += 1
except OSError as e:
    error = type(e).__name__
print(json.dumps([n, error]))
""", timeout=120)
        assert error == "BlockingIOError" and n < 200, (n, error)
        pids_cgroup = next(folder for folder in kernel.km.cgroups if "pids" in folder.parts)
        host_pids = [int(p) for p in (pids_cgroup / "cgroup.procs").read_text().split()]
        assert len(host_pids) > n
        assert kernel.alive()  # (while the forks live, it cannot start a thread either: no new cell runs)
    finally:
        kernel.shutdown()
    assert not pids_cgroup.exists()
    assert [pid for pid in host_pids if running(pid)] == []


def test_cpu_time_is_capped(tmp_path):
    kernel = Kernel(tmp_path, cpu_time_limit=2)
    try:
        kernel.kc.execute("while True:\n    pass")
        deadline = time.monotonic() + 20
        while kernel.alive() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not kernel.alive()  # killed by RLIMIT_CPU after 2 s of CPU
    finally:
        kernel.shutdown(now=True)


def test_sandbox_available_names_the_missing_package(monkeypatch):
    import grading.sandbox

    monkeypatch.setattr(grading.sandbox, "_bwrap_path", lambda: None)
    assert "apt-get install bubblewrap" in grading.sandbox.sandbox_available()


def running(pid: int) -> bool:
    """Whether a host process exists and is not a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes() and running(int(entry.name)):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_a_daemon_left_running_is_gone_when_the_kernel_shuts_down(tmp_path):
    marker = f"SANDBOX-DAEMON-{uuid.uuid4().hex}"
    kernel = Kernel(tmp_path)
    try:
        kernel.execute(f"""
import subprocess, sys
daemon = "import os, time\\nif os.fork() == 0:\\n    os.setsid()\\n    if os.fork() == 0:\\n        time.sleep(600)\\n"
subprocess.run([sys.executable, "-c", daemon, {marker!r}])
""")
        deadline = time.monotonic() + 10
        while not processes_with(marker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert processes_with(marker), "the daemon did not start"
    finally:
        kernel.shutdown()
    deadline = time.monotonic() + 10
    while processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_with(marker) == []


def test_a_daemon_is_gone_even_when_the_kernel_is_killed(tmp_path):
    marker = f"SANDBOX-DAEMON-{uuid.uuid4().hex}"
    kernel = Kernel(tmp_path)
    try:
        kernel.execute(f"""
import subprocess, sys
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", {marker!r}], start_new_session=True)
""")
        deadline = time.monotonic() + 10
        while not processes_with(marker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert processes_with(marker)
        kernel.run(kernel.km.shutdown_kernel(now=True))
    finally:
        kernel.kc.stop_channels()
        kernel.loop.close()
    deadline = time.monotonic() + 10
    while processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_with(marker) == []


# --- interrupts and nbgrader ----------------------------------------------------------------------------------

def test_interrupt_stops_an_infinite_loop(tmp_path):
    kernel = Kernel(tmp_path)
    try:
        async def loop_then_interrupt():
            errors = []
            hook = lambda msg: errors.append(msg["content"]["ename"]) if msg["msg_type"] == "error" else None  # noqa: E731
            task = asyncio.ensure_future(kernel.kc.execute_interactive("while True:\n    pass", timeout=30,
                                                                       output_hook=hook))
            await asyncio.sleep(2)
            await kernel.km.interrupt_kernel()
            reply = await task
            return reply["content"]["status"], errors

        status, errors = kernel.run(loop_then_interrupt())
        assert (status, errors) == ("error", ["KeyboardInterrupt"])
        assert kernel.json("print(6 * 7)") == 42
    finally:
        kernel.shutdown()


def test_guarded_execute_runs_a_notebook_in_the_sandbox_and_interrupts_a_cell_on_timeout(course):
    from grading.preprocessors import GuardedExecute

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import os\nprint(os.getcwd(), sorted(os.listdir('.')))"),
        nbformat.v4.new_code_cell("while True:\n    pass"),
        nbformat.v4.new_code_cell("print(open('data.csv').read().splitlines()[0])"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    executor = GuardedExecute(kernel_manager_class=SandboxedKernelManager, timeout=3)
    resources = {"metadata": {"path": str(notebook_folder(course))}}
    nb, _ = executor.preprocess(nb, resources)
    first, looping, last = nb.cells
    assert first.outputs[0]["text"].startswith("/home/student ") and "lab.ipynb" not in first.outputs[0]["text"]
    assert any(o.output_type == "error" and o.ename == "CellTimeoutError" for o in looping.outputs)
    assert last.outputs[0]["text"] == "x,y\n"


def test_a_notebook_inside_the_bound_python_folders_is_refused(tmp_path):
    km = SandboxedKernelManager(kernel_name="python3", readonly_paths=[str(tmp_path)])
    folder = tmp_path / "nb"
    folder.mkdir()

    async def start():
        await km.start_kernel(cwd=str(folder))

    loop = asyncio.new_event_loop()
    try:
        with pytest.raises(RuntimeError, match="holds the notebook"):
            loop.run_until_complete(start())
    finally:
        loop.close()
    assert km.private_dir is None and km.cgroups == []
