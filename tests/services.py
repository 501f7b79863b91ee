"""Servers the tests start for themselves on loopback, and stop by process id: PostgreSQL (the shared gradebook)
and Redis (the Celery broker). Their programs come from Debian (postgresql, redis-server); without them a test is
skipped, saying what to install, except under CI (``CI=true``), where it fails: .ci/run installs them. As root,
PostgreSQL runs as the ``postgres`` system user, since it refuses to run as root.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

SERVER_START_TIMEOUT = 60


def missing(what: str) -> None:
    """Skip the test for want of ``what``, but fail it under CI, which is meant to have everything."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} (CI=true: .ci/run must install it)")
    pytest.skip(what)


def _server_programs() -> Path:
    """The bin/ folder of the newest installed PostgreSQL server (Debian keeps them out of PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parent.parent.name))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl and shutil.which("initdb"):
        return Path(pg_ctl).parent
    missing("PostgreSQL server programs (initdb, pg_ctl) not found: apt-get install postgresql")
    raise AssertionError("unreachable")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def alive(pid: int) -> bool:
    """Whether the process runs (a zombie waiting for its parent counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def stop(pid: int, first: signal.Signals = signal.SIGINT) -> None:
    """Stop a server by its pid: ``first`` (SIGINT: PostgreSQL's fast shutdown), then SIGKILL if it is still
    there after 30 s."""
    for sig, wait in ((first, 30), (signal.SIGKILL, 10)):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not alive(pid):
                return
            time.sleep(0.2)


@contextlib.contextmanager
def postgres_server():
    """A throwaway PostgreSQL server on 127.0.0.1 (a free port, trust authentication, sockets in its own temp
    folder); yields a function that creates a new database and returns its URL. Stopped by its pid at the end,
    whatever happened."""
    programs = _server_programs()
    try:
        import psycopg2
    except ImportError:
        missing("the PostgreSQL driver psycopg2 is not installed: pip install psycopg2-binary")
    as_root = os.geteuid() == 0
    if as_root:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            missing("no 'postgres' system user to run the server as (apt-get install postgresql creates it)")
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []

    base = Path(tempfile.mkdtemp(prefix="grading-postgres-"))
    os.chmod(base, 0o755)  # the postgres user must reach its folders inside
    data, sockets, log = base / "data", base / "sockets", base / "server.log"
    for folder in (data, sockets):
        folder.mkdir(mode=0o700)
    log.touch()
    if as_root:
        for path in (data, sockets, log):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    port = free_port()
    pid = None
    try:
        init = subprocess.run([*prefix, str(programs / "initdb"), "-D", str(data), "-U", "postgres",
                               "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"],
                              capture_output=True, text=True, timeout=120, check=False)
        assert init.returncode == 0, f"initdb failed:\n{init.stdout}\n{init.stderr}"
        options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50"
        start = subprocess.run([*prefix, str(programs / "pg_ctl"), "start", "-D", str(data), "-l", str(log),
                                "-w", "-t", str(SERVER_START_TIMEOUT), "-o", options],
                               capture_output=True, text=True, timeout=SERVER_START_TIMEOUT + 30, check=False)
        with contextlib.suppress(OSError, ValueError, IndexError):
            pid = int((data / "postmaster.pid").read_text().splitlines()[0])
        assert start.returncode == 0, f"pg_ctl start failed:\n{start.stdout}\n{start.stderr}\n{log.read_text()}"
        assert pid is not None, "the server started but wrote no postmaster.pid"

        def new_database(name: str) -> str:
            connection = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres")
            try:
                connection.autocommit = True
                with connection.cursor() as cursor:
                    cursor.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
            finally:
                connection.close()
            return f"postgresql+psycopg2://postgres@127.0.0.1:{port}/{name}"

        yield new_database
    finally:
        if pid is None:  # started far enough to write its pid file, but pg_ctl failed or timed out
            with contextlib.suppress(OSError, ValueError, IndexError):
                pid = int((data / "postmaster.pid").read_text().splitlines()[0])
        if pid is not None:
            stop(pid)
        shutil.rmtree(base, ignore_errors=True)




@contextlib.contextmanager
def redis_server():
    """A throwaway Redis server on 127.0.0.1 (a free port, a password, no persistence), run in the foreground as
    a child of the test; yields its URL with the password. Stopped by its pid at the end, whatever happened."""
    program = shutil.which("redis-server")
    if program is None:
        missing("the Redis server (redis-server) is not installed: apt-get install redis-server")
    port, password = free_port(), secrets.token_hex(16)
    base = Path(tempfile.mkdtemp(prefix="grading-redis-"))
    log = (base / "server.log").open("w")
    server = subprocess.Popen([program, "--port", str(port), "--bind", "127.0.0.1", "--requirepass", password,
                               "--save", "", "--appendonly", "no", "--dir", str(base), "--daemonize", "no"],
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"redis://:{password}@127.0.0.1:{port}/0"
        import redis

        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.exceptions.ConnectionError:
                assert server.poll() is None, f"redis-server exited:\n{(base / 'server.log').read_text()}"
                assert time.monotonic() < deadline, "redis-server did not answer within a minute"
                time.sleep(0.1)
        yield url
    finally:
        stop(server.pid, first=signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
        shutil.rmtree(base, ignore_errors=True)
