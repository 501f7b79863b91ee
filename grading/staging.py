"""A submission folder copied as plain files only, for nbgrader to grade from.

nbgrader follows symbolic links when it copies a submission, so a link in ``submitted/<student>/<lab>/`` pointing
at ``solutions/`` would put the instructor's notebook into that student's autograded copy and feedback. The grader
therefore never lets nbgrader read ``submitted/``: each submission is first copied into a staging folder, regular
files and folders only, opened without following links; symbolic links, FIFOs, sockets and device files are not
followed or copied, nor files over ``max_file_bytes`` or past ``max_total_bytes`` in all. What was left out is
returned, one sentence each, for the outcome and the student's feedback.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path

MiB = 1024 * 1024
KINDS = {stat.S_IFLNK: "a symbolic link", stat.S_IFIFO: "a FIFO", stat.S_IFSOCK: "a socket",
         stat.S_IFCHR: "a device file", stat.S_IFBLK: "a device file"}


def _copy_regular(source: Path, target: Path, limit: int) -> int:
    """Copy one regular file without following a link (O_NOFOLLOW), at most ``limit`` bytes; return its size,
    or -1 if it is larger than ``limit`` (then nothing is written)."""
    descriptor = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{source} is not a regular file")
        if info.st_size > limit:
            return -1
        data = handle.read(limit + 1)
    if len(data) > limit:
        return -1
    target.write_bytes(data)
    return len(data)


def stage(source: Path, target: Path, *, max_file_bytes: int = 100 * MiB,
          max_total_bytes: int = 200 * MiB) -> list[str]:
    """Copy the folder ``source`` to ``target`` (replaced), plain files only; return what was not copied."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    skipped: list[str] = []
    budget = max_total_bytes
    pending = [Path(".")]
    while pending:
        relative = pending.pop()
        for entry in sorted(os.scandir(source / relative), key=lambda e: e.name):
            name = relative / entry.name
            mode = os.lstat(entry.path).st_mode
            kind = KINDS.get(stat.S_IFMT(mode))
            if kind:
                skipped.append(f"{name}: {kind}, not followed or copied")
            elif stat.S_ISDIR(mode):
                (target / name).mkdir()
                pending.append(name)
            elif stat.S_ISREG(mode):
                try:
                    size = _copy_regular(source / name, target / name, min(max_file_bytes, budget))
                except OSError as error:
                    skipped.append(f"{name}: not copied ({error.strerror or error})")
                    continue
                if size < 0:
                    limit = "the size limit" if budget >= max_file_bytes else "the submission's size limit"
                    skipped.append(f"{name}: over {limit} ({min(max_file_bytes, budget) // MiB} MiB), not copied")
                else:
                    budget -= size
    return skipped


def notebook_digest(path: Path) -> str:
    """SHA-256 of a submitted notebook, read without following a link; for a link or any other non-file, of
    what it is (so that a re-run still tells a changed submission)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return ""
    if stat.S_ISREG(mode):
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        digest = hashlib.sha256()
        with os.fdopen(descriptor, "rb") as handle:
            for block in iter(lambda: handle.read(MiB), b""):
                digest.update(block)
        return digest.hexdigest()
    what = os.readlink(path) if stat.S_ISLNK(mode) else str(stat.S_IFMT(mode))
    return hashlib.sha256(f"not a file: {what}".encode()).hexdigest()
