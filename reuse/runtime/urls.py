"""Inputs and outputs named by fsspec URLs (`file://`, `memory://`, `s3://`, `gs://`, `hdfs://`, ...).

A path is a URL when it contains `://`; anything else is a local path and never reaches this module, so
local runs neither import fsspec nor change. fsspec (and the package of each store: s3fs, gcsfs, ...) is
imported only when a URL is used, and a missing one is a one-line InputError naming the URL.

`file://` URLs name local files: they are listed and read through fsspec like any store, but written
(and protected) as the local paths they are (see `local_path`), so that `-o file:///...` keeps the
atomic rename and the checks a plain path gets.

Calls into a store catch every Exception (BLE001): each backend raises its own (botocore, aiohttp,
google-auth, pyarrow), and any of them is one line naming the URL, as a local OSError is.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from reuse.errors import InputError

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem

# Stores without directories (see make_dirs).
_NO_DIRECTORIES = frozenset({"s3", "s3a", "gs", "gcs", "az", "abfs", "abfss", "adl", "memory", "http", "https"})


def is_url(path: str) -> bool:
    return "://" in path


def _first_line(err: BaseException) -> str:
    text = str(err).strip() or type(err).__name__
    return text.splitlines()[0]


def filesystem(url: str) -> tuple[AbstractFileSystem, str]:
    """The file system a URL names and the path inside it, or an InputError saying what is missing."""
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise InputError(f"{url}: needs the fsspec package (pip install fsspec)") from None
    try:
        return url_to_fs(url)
    except ImportError as err:
        raise InputError(f"{url}: {_missing_backend(url, err)}") from None
    except ValueError as err:  # "Protocol not known: foo"
        raise InputError(f"{url}: {_first_line(err)}") from None
    except Exception as err:  # noqa: BLE001 (a backend refusing its options or credentials)
        raise InputError(f"{url}: cannot open ({_first_line(err)})") from None


def _missing_backend(url: str, err: ImportError) -> str:
    """'needs the s3fs package (pip install s3fs)' when fsspec names a package of its own; else its message."""
    from fsspec.core import split_protocol
    from fsspec.registry import known_implementations

    protocol = split_protocol(url)[0] or ""
    known = known_implementations.get(protocol, {})
    package = str(known.get("class", "")).split(".")[0]
    if package and package != "fsspec":
        return f"needs the {package} package (pip install {package})"
    return _first_line(err)


def local_path(url: str) -> str | None:
    """The local path a file:// (or local://) URL names; None for any other store."""
    fs, path = filesystem(url)  # first: it says when fsspec is missing
    from fsspec.implementations.local import LocalFileSystem

    return path if isinstance(fs, LocalFileSystem) else None


def key(url: str) -> str:
    """One spelling of what a URL names (memory://a/ and memory:///a are one object), to compare outputs
    with inputs."""
    fs, path = filesystem(url)
    return str(fs.unstrip_protocol(path.rstrip("/") or "/"))


def _fail(url: str, err: BaseException) -> InputError:
    if isinstance(err, InputError):
        return err
    if isinstance(err, FileNotFoundError):
        return InputError(f"{url}: no such file or directory")
    if isinstance(err, PermissionError):
        return InputError(f"{url}: permission denied")
    return InputError(f"{url}: cannot read ({_first_line(err)})")


def files(url: str, glob: str | None) -> Iterator[tuple[str, str]]:
    """(URL of the file, relative path) for a URL naming a file, or every file under it, sorted; hidden
    names (a component starting with '.') left out and glob applied as for a local directory.

    A URL that names nothing is 'no such file or directory'; an unreachable store, 'cannot read (...)'."""
    fs, root = filesystem(url)
    try:
        if fs.isdir(root):
            found: dict[str, Any] = fs.find(root, detail=True)
        elif fs.exists(root):
            yield url, root.rstrip("/").rsplit("/", 1)[-1]
            return
        else:
            raise FileNotFoundError(url)
    except Exception as err:  # noqa: BLE001 (see module docstring)
        raise _fail(url, err) from None
    prefix = root.rstrip("/") + "/"
    listed = []
    for path, info in found.items():
        if info.get("type") != "file" or not path.startswith(prefix):
            continue  # devices and pipes (type 'other' on file://) are not read inside a directory
        relative = path[len(prefix) :]
        parts = relative.split("/")
        if any(part.startswith(".") for part in parts):
            continue
        if glob is None or fnmatch.fnmatch(relative, glob) or fnmatch.fnmatch(parts[-1], glob):
            listed.append((f"{url.rstrip('/')}/{relative}", relative))
    yield from sorted(listed)


def read(url: str) -> bytes:
    """The bytes of the object or file a URL names, or an InputError that names it and says why not."""
    fs, path = filesystem(url)
    from fsspec.implementations.local import LocalFileSystem

    try:
        # Only a local file system has pipes and devices (which could hang the run); elsewhere asking
        # first would cost a request per object.
        if isinstance(fs, LocalFileSystem) and fs.info(path).get("type") not in ("file", "directory"):
            raise InputError(f"{url}: not a regular file")
        return bytes(fs.cat_file(path))
    except (FileNotFoundError, IsADirectoryError) as err:
        try:
            directory = fs.isdir(path)
        except Exception:  # noqa: BLE001 (see module docstring)
            directory = False
        if directory:
            raise InputError(f"{url}: is a directory, expected a file") from None
        raise _fail(url, err) from None
    except Exception as err:  # noqa: BLE001 (see module docstring)
        raise _fail(url, err) from None


def write(url: str, pieces: Iterable[str | bytes]) -> None:
    """Write pieces (text as UTF-8) to the object a URL names, replacing it.

    Not atomic as local writes are: object stores have no rename, so the object is written whole, and
    appears when its upload completes (a reader never sees part of it on S3, GCS or Azure); a store with
    files (sftp, hdfs) may show a partial file while it is written. A failed write leaves no object on
    object stores and may leave a partial file elsewhere.
    """
    fs, path = filesystem(url)
    try:
        with fs.open(path, "wb") as handle:
            for piece in pieces:
                handle.write(piece.encode("utf-8", "surrogateescape") if isinstance(piece, str) else piece)
    except Exception as err:  # noqa: BLE001 (see module docstring)
        raise InputError(f"{url}: cannot write ({_first_line(err)})") from None


def check_writable(url: str) -> None:
    """Refusals before any work: a URL ending in '/' or naming a directory is no file to write."""
    if url.endswith("/"):
        raise InputError(f"{url}: is a directory; give a file name to write")
    fs, path = filesystem(url)
    try:
        directory = fs.isdir(path)
    except Exception as err:  # noqa: BLE001 (see module docstring)
        raise InputError(f"{url}: cannot write ({_first_line(err)})") from None
    if directory:
        raise InputError(f"{url}: is a directory; give a file name to write")


def is_file(url: str) -> bool:
    fs, path = filesystem(url)
    try:
        return bool(fs.isfile(path))
    except Exception as err:  # noqa: BLE001 (see module docstring)
        raise InputError(f"{url}: cannot read ({_first_line(err)})") from None


def make_dirs(path: str) -> None:
    """The directory a path or URL names, made: a file:// URL's as its local path; on a store with
    directories through fsspec; on an object store nothing (a prefix needs no making, and making one could
    mean making a bucket, which no user of `clean --out` asked for)."""
    path = as_local(path)
    if "://" not in path:
        os.makedirs(path, exist_ok=True)
        return
    fs, inside = filesystem(path)
    if set([fs.protocol] if isinstance(fs.protocol, str) else fs.protocol) & _NO_DIRECTORIES:
        return
    try:
        fs.makedirs(inside, exist_ok=True)
    except Exception as err:  # noqa: BLE001 (see module docstring)
        raise InputError(f"{path}: cannot write ({_first_line(err)})") from None


def as_local(path: str) -> str:
    """A file:// URL as the local path it names, so that every check and write of a local path applies;
    a plain path, or any other URL, as it is (one without its backend too: reading or writing it says so)."""
    if "://" not in path:
        return path
    try:
        return local_path(path) or path
    except InputError:
        return path


def check_out_url(out_dir: str, inputs: list[str], outputs: list[str], sources: list[str]) -> None:
    """`clean --out` on a store other than the local one, refused before any work: out_dir a file, or
    (inside) an input URL; an output spelled as an input. What is not checked: see Protected."""
    from reuse.runtime.output import Protected, shown

    if is_file(out_dir):
        raise InputError(f"{shown(out_dir)}: exists and is not a directory")
    target = key(out_dir)
    for source in inputs:
        try:
            real = key(source) if is_url(source) else None
        except InputError:  # no backend for it: reading it says so
            real = None
        if real is not None and (target == real or target.startswith(real + "/")):
            raise InputError(
                f"{shown(out_dir)}: is inside the input directory {shown(source)}; choose an output directory outside it"
            )
    originals = Protected().add(sources)
    for path in outputs:
        try:
            originals.check(path)
        except InputError:
            raise InputError(f"{shown(path)}: would replace an input file; choose another output directory") from None


def join(url: str, *parts: str) -> str:
    return "/".join([url.rstrip("/"), *parts])


def parent(url: str) -> str:
    """The URL of the directory holding what a URL names."""
    return url.rstrip("/").rsplit("/", 1)[0]
