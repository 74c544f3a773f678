"""Where an import stages its rows: beside the store, and never for long.

Staged rows are customer data (names, mobiles, e-mails), written before
the import commits. An import killed before its commit cannot remove them,
so they must not sit in ``/tmp``, out of reach of erasure and unknown to
the operator. Each import therefore stages in a folder of its own inside
``<store file>-import/``, next to the store (the same disk, the same
permissions and the same care as the store itself), and holds an exclusive
lock on that folder while it runs. Every import first sweeps away each
folder whose lock nobody holds: the leftovers of imports that were killed.

The lock is an ``flock`` on the folder itself, which the kernel releases
when the last process holding it ends (however it ends), so a folder is
never swept while its import, or one of that import's workers, still
runs. Creating a folder, sweeping and removing the root once it is empty
happen under a lock on the root, so a new folder is locked before any
sweep can see it, and nothing is left beside the store once no import
runs.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SUFFIX = "-import"
"""The staging root is the store's file name with this suffix."""
_PREFIX = "import-"


def staging_root(store_path: Path) -> Path:
    """The folder beside the store where its imports stage."""
    return store_path.with_name(store_path.name + SUFFIX)


@contextmanager
def staging_folder(store_path: Path) -> Iterator[Path]:
    """A private, locked folder for one import, beside the store; removed
    when the import ends, and swept by a later import if it is killed.
    Leftovers of killed imports are swept first.

    Raises:
        OSError: the folder cannot be created (a full disk, a read-only
            folder); the caller maps a full disk to a typed error.
    """
    root = staging_root(store_path)
    with _root_locked(root):
        sweep(root)
        folder = Path(tempfile.mkdtemp(prefix=_PREFIX, dir=root))
        held = _lock(folder, wait=True)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if held is not None:
            os.close(held)
        with _root_locked(root):
            _remove_if_empty(root)


def sweep_staging(store_path: Path) -> int:
    """Remove the staging folders of killed imports of this store; returns
    how many were removed (0 when there is no staging root)."""
    root = staging_root(store_path)
    if not root.is_dir():
        return 0
    with _root_locked(root):
        removed = sweep(root)
        _remove_if_empty(root)
    return removed


def sweep(root: Path) -> int:
    """Remove every folder under ``root`` that no running import holds.
    The caller holds the root's lock."""
    if not _can_lock():  # not POSIX: a live import's folder cannot be told apart
        return 0
    removed = 0
    for entry in sorted(root.glob(_PREFIX + "*")):
        if not entry.is_dir() or entry.is_symlink():
            continue
        held = _lock(entry, wait=False)
        if held is None:
            continue  # a running import's
        try:
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
        finally:
            os.close(held)
    return removed


@contextmanager
def _root_locked(root: Path) -> Iterator[None]:
    """Hold the root's lock, creating the root if needed. An import that
    ended meanwhile may have removed the root it was waiting for: then the
    root is created and locked again."""
    while True:
        root.mkdir(mode=0o700, exist_ok=True)
        try:
            held = _lock(root, wait=True)
        except FileNotFoundError:
            continue
        if held is None:
            break
        try:
            if os.path.samestat(os.fstat(held), os.stat(root)):
                break
        except FileNotFoundError:
            pass
        os.close(held)
    try:
        yield
    finally:
        if held is not None:
            os.close(held)


def _remove_if_empty(root: Path) -> None:
    """Remove the root when no import stages in it (its lock is held)."""
    try:
        root.rmdir()
    except OSError:  # an import stages there, or the root is gone already
        pass


def _can_lock() -> bool:
    try:
        import fcntl  # noqa: F401
    except ImportError:
        return False
    return True


def _lock(folder: Path, *, wait: bool) -> int | None:
    """An open descriptor of ``folder`` holding an exclusive lock on it, or
    None when another process holds it (``wait`` False) or when locks are
    not available."""
    try:
        import fcntl
    except ImportError:
        return None
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return fd
