"""Run the installed `sptrack` console script as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import evaluation

REPO = Path(__file__).resolve().parents[2]
FIXTURES = evaluation.DOCUMENTS
SPTRACK = Path(sys.executable).with_name("sptrack")


def sptrack(
    *args: str, cwd: Path | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run the installed console script, as a user would."""
    env = {k: v for k, v in os.environ.items() if k != "SPTRACK_CONFIG"}
    return subprocess.run(
        [str(SPTRACK), *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=cwd or REPO,
        env=env,
        timeout=300,
        check=False,
    )
