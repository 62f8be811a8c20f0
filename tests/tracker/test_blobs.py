from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from tracker.blobs import BlobStore
from tracker.errors import BlobError


def test_put_returns_sha256_and_get_returns_the_bytes(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    data = "មាត្រា ៤ អត្រាភាគទាន ៤%".encode()
    sha = store.put(data)
    assert sha == hashlib.sha256(data).hexdigest()
    assert store.get(sha) == data
    assert store.path(sha) == tmp_path / sha[:2] / sha[2:4] / sha


def test_existing_blob_is_never_rewritten(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    sha = store.put(b"version one")
    path = store.path(sha)
    os.utime(path, (1, 1))
    assert store.put(b"version one") == sha
    assert path.stat().st_mtime == 1
    assert len(list(tmp_path.rglob("*"))) == 3  # two folders + one blob, no temp files left


def test_put_file_checks_the_expected_hash(tmp_path: Path) -> None:
    source = tmp_path / "spool.pdf"
    source.write_bytes(b"%PDF-1.4 fake")
    store = BlobStore(tmp_path / "blobs")
    with pytest.raises(BlobError, match="has sha256"):
        store.put_file(source, "0" * 64)
    assert not (tmp_path / "blobs").exists() or not any((tmp_path / "blobs").rglob("*0000"))
    sha = store.put_file(source, hashlib.sha256(b"%PDF-1.4 fake").hexdigest())
    assert store.get(sha) == b"%PDF-1.4 fake"


def test_corrupted_blob_is_detected_on_read(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    sha = store.put(b"original")
    store.path(sha).write_bytes(b"tampered")
    with pytest.raises(BlobError, match="does not match"):
        store.get(sha)


def test_missing_blob_and_bad_names_are_clear_errors(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    with pytest.raises(BlobError, match="missing"):
        store.get("a" * 64)
    with pytest.raises(BlobError, match="expected a lowercase hex sha256"):
        store.path("../../etc/passwd")


def test_failed_write_leaves_no_partial_blob(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)

    def explode(handle: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store._write("b" * 64, explode)
    assert not store.exists("b" * 64)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_sweep_removes_only_old_temporary_files(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    sha = store.put(b"\xe1\x9e\x80 kept")
    folder = store.path(sha).parent
    old, fresh = folder / ".tmp-old", folder / ".tmp-fresh"
    old.write_bytes(b"half")
    fresh.write_bytes(b"being written")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    assert store.sweep(older_than_s=3600) == 1
    assert not old.exists() and fresh.exists()
    assert store.get(sha) == b"\xe1\x9e\x80 kept"
