"""Writing what a run produces: atomically, with the user's umask, and never over anything it reads."""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Iterable

from reuse.errors import InputError
from reuse.runtime.urls import is_url

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def shown(path: str) -> str:
    """A path or id as it can be printed: bytes of a file name that are not UTF-8 become \\xNN escapes, and
    any other lone surrogate (JSON can spell one) a \\uXXXX escape."""
    try:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub(_escaped, path)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


class Protected:
    """Every path a run must not write: its input files, anything inside its input directories, its index.

    Paths are compared resolved (symbolic links followed) and, for files that exist, by device and
    inode too, so a hard link or another spelling of an input is refused as well.

    URLs (see reuse.runtime.urls): a file:// URL is the local path it names, with every check above. Any
    other URL is compared as fsspec spells it (memory://a/ and memory:///a are one), and an output under
    an input URL counts as inside an input directory; not checked on remote stores: another spelling of
    the same object (an s3:// and an https:// URL of one bucket, an alias, a versioned key), and objects
    a store links or copies behind the scenes.
    """

    def __init__(self) -> None:
        # resolved path (or device and inode) -> (the path as the user named it, what it is to this run)
        self._files: dict[str, tuple[str, str]] = {}
        self._inodes: dict[tuple[int, int], tuple[str, str]] = {}
        self._dirs: dict[str, str] = {}
        self._urls: dict[str, tuple[str, str]] = {}

    def add(self, paths: Iterable[str], what: str = "an input of this run") -> Protected:
        """Protect paths (files or directories; '-' and '' are standard input and skipped)."""
        for path in paths:
            if path in ("", "-"):
                continue
            if is_url(path):
                self._add_url(path, what)
                continue
            self._add_local(path, shown(path), what)
        return self

    def _add_local(self, path: str, named: str, what: str) -> None:
        real = os.path.realpath(path)
        if os.path.isdir(real):
            self._dirs.setdefault(real, named)
            return
        self._files.setdefault(real, (named, what))
        try:
            info = os.stat(real)
        except OSError:
            return
        self._inodes.setdefault((info.st_dev, info.st_ino), (named, what))

    def _add_url(self, url: str, what: str) -> None:
        from reuse.runtime.urls import key, local_path

        try:
            local = local_path(url)
            if local is not None:
                self._add_local(local, shown(url), what)
                return
            spelled = key(url)
        except InputError:  # no backend for it: the read will say so (or --skip-bad skip it); compare as given
            spelled = url.rstrip("/")
        self._urls.setdefault(spelled, (shown(url), what))

    def add_index(self, spec: str | None) -> Protected:
        """The SQLite index in use, with its journal files (a Redis index is not a path)."""
        if spec and "://" not in spec:
            self.add([spec, spec + "-wal", spec + "-shm", spec + "-journal"], "the index in use")
        return self

    def check(self, path: str) -> None:
        """Raise InputError when writing path would replace or add to something this run reads."""
        if is_url(path):
            self._check_url(path)
            return
        self._check_local(path, shown(path))

    def _check_url(self, url: str) -> None:
        from reuse.runtime.urls import key, local_path

        local = local_path(url)
        if local is not None:
            self._check_local(local, shown(url))
            return
        spelled = key(url)
        clash = self._urls.get(spelled)
        if clash is not None:
            named, what = clash
            also = "" if named == shown(url) else f" ({named})"
            raise InputError(f"{shown(url)}: is {what}{also}; refusing to overwrite it")
        for inside, (named, _) in self._urls.items():
            if spelled.startswith(inside + "/"):
                raise InputError(f"{shown(url)}: is inside the input directory {named}; write it outside the inputs")

    def _check_local(self, path: str, name: str) -> None:
        real = os.path.realpath(path)
        clash = self._files.get(real)
        if clash is None:
            try:
                info = os.stat(real)
            except OSError:
                info = None
            if info is not None:
                clash = self._inodes.get((info.st_dev, info.st_ino))
        if clash is not None:
            named, what = clash
            also = "" if named == name else f" ({named})"
            raise InputError(f"{name}: is {what}{also}; refusing to overwrite it")
        folder = real
        while True:
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
            if folder in self._dirs:
                raise InputError(
                    f"{name}: is inside the input directory {self._dirs[folder]}; write it outside the inputs"
                )


def _umask() -> int:
    """The process's umask, read without changing it where the system says it (Linux), since setting it to
    read it back would, for a moment, apply to files other threads create."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass  # not Linux: read it the only portable way
    current = os.umask(0o022)
    os.umask(current)
    return current


def check_target(path: str, protected: Protected) -> str:
    """The resolved file path to write, after every refusal a user should get before any work is done.

    A URL (see reuse.runtime.urls): a file:// URL is checked as the local path it names; any other is
    returned as it is, refused when it ends in '/', names a directory, or is (inside) an input URL."""
    if is_url(path):
        from reuse.runtime.urls import check_writable, local_path

        local = local_path(path)
        if local is None:
            check_writable(path)
            protected.check(path)
            return path
        return _check_local_target(local, shown(path), protected)
    return _check_local_target(path, shown(path), protected)


def _check_local_target(path: str, name: str, protected: Protected) -> str:
    if path.endswith(("/", os.sep)) or os.path.isdir(path):
        raise InputError(f"{name}: is a directory; give a file name to write")
    protected._check_local(path, name)
    target = os.path.realpath(path)
    directory = os.path.dirname(target) or "."
    if not os.path.isdir(directory):
        shown_directory = os.path.dirname(name) if is_url(name) else shown(os.path.dirname(path) or ".")
        raise InputError(f"{name}: directory {shown_directory} does not exist")
    if os.path.exists(target) and not stat.S_ISREG(os.stat(target).st_mode):
        raise InputError(f"{name}: exists and is not a regular file; refusing to replace it")
    return target


def write_atomic(path: str, content: str | bytes | Iterable[str], protected: Protected) -> None:
    """Write content (text as UTF-8; or pieces of text, written as they come) to path through a temporary
    file and a rename.

    A new file gets the mode the user's umask gives (mkstemp's 0600 otherwise); a replaced file keeps its own.
    A file:// URL is written so too; any other URL is written whole through fsspec, as object stores have no
    rename to make it atomic (see reuse.runtime.urls.write).
    """
    target = check_target(path, protected)
    pieces = [content] if isinstance(content, (str, bytes)) else content
    if is_url(target):
        from reuse.runtime.urls import write

        write(target, pieces)
        return
    name = shown(path)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    except OSError as err:
        raise InputError(f"{name}: cannot write ({err.strerror or err})") from None
    try:
        fd, temp = tempfile.mkstemp(prefix=".reuse-", dir=os.path.dirname(target))
    except OSError as err:
        raise InputError(f"{name}: cannot write ({err.strerror or err})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in pieces:
                handle.write(piece.encode("utf-8", "surrogateescape") if isinstance(piece, str) else piece)
            os.fchmod(handle.fileno(), mode)
        os.replace(temp, target)
    except BaseException as err:
        if os.path.exists(temp):
            os.unlink(temp)
        if isinstance(err, OSError):
            raise InputError(f"{name}: cannot write ({err.strerror or err})") from None
        raise
