from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import evaluation

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = evaluation.DOCUMENTS


@pytest.fixture(scope="session")
def load() -> Callable[[str], bytes]:
    """Bytes of a fixture document by file name."""
    return lambda name: (DOCUMENTS / name).read_bytes()


@pytest.fixture(scope="session")
def truth() -> Callable[[str], str]:
    """The true text of a fixture by stem (``subdecree_km_v1``)."""
    return lambda stem: (DOCUMENTS / f"{stem}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def pdf_wild() -> Path:
    """shared/corpus/pdf-wild beside the project; tests using it skip when it is absent."""
    path = ROOT.parent / "shared" / "corpus" / "pdf-wild"
    if not path.is_dir():
        pytest.skip(f"{path} is not beside the project")
    return path
