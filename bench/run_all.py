"""Run every speed benchmark in bench/, one after the other (``make eval`` runs the
evaluations: ``sptrack eval ...``).

    .venv/bin/python bench/run_all.py

Each script prints its own table; docs and README quote them with the machine they ran on.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPTS = (
    "compare_bench.py",
    "matcher_speed.py",
    "recrawl_bench.py",
    "delivery_bench.py",
    "web_load.py",
)


def main() -> int:
    here = Path(__file__).parent
    failed = 0
    for name in SCRIPTS:
        print(f"== {name}", flush=True)
        result = subprocess.run([sys.executable, str(here / name)], check=False)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
