"""Every stage measured on labelled data: ``sptrack eval ...`` runs these.

One evaluation a module: :mod:`evaluation.extract` (READ against the true text),
:mod:`evaluation.compare` (COMPARE against a lawyer's counts), :mod:`evaluation.match`
(the matcher's flags against labelled changes, read by :mod:`evaluation.labelled_changes`),
:mod:`evaluation.metamorphic` (one text typeset many ways), :mod:`evaluation.crosscheck`
(language versions), :mod:`evaluation.realworld` (real legislation kept in git, its versions
rendered by :mod:`evaluation.snapshots`).

The labelled data ships in the package, under :data:`DATA`, so the commands' defaults work
from an installed copy; ``tests/fixtures/make_*.py`` rebuild it.
"""

from __future__ import annotations

from pathlib import Path

#: The shipped labelled data (documents and their truths, pairs, beds, labelled changes).
DATA = Path(__file__).resolve().parent / "data"
#: Documents X.pdf|.docx|.html beside their true text X.txt (``sptrack eval extract``).
DOCUMENTS = DATA / "documents"
#: Version pairs, a folder each with ``expected.json`` (``sptrack eval compare``).
PAIRS = DATA / "pairs"
#: Labelled changes, JSON Lines (``sptrack eval match``).
CHANGES = DATA / "changes.jsonl"
#: Language-version pairs and ``cases.json`` (``sptrack eval crosscheck``).
CROSSCHECK = DATA / "crosscheck"
#: Real legislation version pairs in fetched git snapshots (``sptrack eval realworld``).
REALWORLD = DATA / "realworld" / "cases.json"
#: The metamorphic bed: ``expected.json`` and the typeset files (``sptrack eval metamorphic``).
METAMORPHIC = DATA / "metamorphic"
