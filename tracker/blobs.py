"""Content-addressed store of raw fetched bytes: nothing fetched is overwritten or lost.

A blob lives at ``root/ab/cd/<sha256>``. Writes go to a temporary file in the same folder,
are flushed to disk, then renamed into place, so a killed process leaves either the whole
blob or none of it. An existing blob is never rewritten.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from tracker.errors import BlobError

CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise BlobError(sha256, "expected a lowercase hex sha256 of 64 characters")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def sweep(self, older_than_s: float = 3600) -> int:
        """Remove temporary files a killed writer left (older than ``older_than_s``, so a
        write in progress elsewhere is never touched); returns how many."""
        cutoff = time.time() - older_than_s
        removed = 0
        for leftover in self.root.glob("*/*/.tmp-*"):
            with contextlib.suppress(FileNotFoundError):
                if leftover.stat().st_mtime < cutoff:
                    leftover.unlink()
                    removed += 1
        return removed

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, data: bytes) -> str:
        """Store ``data``; return its sha256."""
        sha = hashlib.sha256(data).hexdigest()
        if not self.exists(sha):
            self._write(sha, lambda handle: handle.write(data))
        return sha

    def put_file(self, source: Path, expected_sha256: str | None = None) -> str:
        """Copy ``source`` into the store, checking its hash; return the sha256."""
        sha = sha256_of(source)
        if expected_sha256 is not None and sha != expected_sha256:
            raise BlobError(expected_sha256, f"file {source} has sha256 {sha}")
        if not self.exists(sha):
            with source.open("rb") as src:
                self._write(sha, lambda handle: shutil.copyfileobj(src, handle, CHUNK))
        return sha

    def get(self, sha256: str) -> bytes:
        path = self.path(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise BlobError(sha256, f"missing from {self.root}") from exc
        if hashlib.sha256(data).hexdigest() != sha256:
            raise BlobError(sha256, f"content of {path} does not match its name")
        return data

    def _write(self, sha: str, write: Callable[[BinaryIO], object]) -> None:
        target = self.path(sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                write(handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise BlobError(sha, f"cannot write under {self.root}: {exc.strerror}") from exc
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
