"""Every PDF of the pdf-wild corpus through `sptrack extract`, as a user would run it.

    .venv/bin/python bench/wild_extract.py [CORPUS]

Default corpus: ../shared/corpus/pdf-wild beside the project. Each file runs in its own
`sptrack extract FILE --format json` (OCR on, the default) with a 10-minute guard; a file
passes when it exits 0 with JSON holding `text`, or exits 1 with one `error:` line. A
traceback, another exit code or the guard firing is a failure.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPTRACK = Path(sys.executable).with_name("sptrack")


def run(path: Path) -> tuple[str, str, float]:
    start = time.perf_counter()
    try:
        result = subprocess.run(
            [str(SPTRACK), "extract", str(path)], capture_output=True, text=True, timeout=600
        )
    except subprocess.TimeoutExpired:
        return "hang", "no answer in 600 s", time.perf_counter() - start
    seconds = time.perf_counter() - start
    lines = result.stderr.strip().splitlines()
    if result.returncode == 0:
        data = json.loads(result.stdout)
        method = data["method"]
        return ("text" if data["text"] else "empty"), method, seconds
    if result.returncode == 1 and len(lines) == 1 and lines[0].startswith("error: "):
        return "error", lines[0][:120], seconds
    return "crash", (lines[-1] if lines else f"exit {result.returncode}")[:200], seconds


def main() -> int:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/corpus/pdf-wild"
    files = sorted(corpus.glob("*.pdf"))
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run, files))
    counts: dict[str, int] = {}
    for path, (outcome, detail, _seconds) in zip(files, results, strict=True):
        counts[outcome] = counts.get(outcome, 0) + 1
        if outcome in ("crash", "hang", "empty"):
            print(f"{outcome:<6} {path.name}: {detail}")
    slowest = sorted(zip(files, results, strict=True), key=lambda r: -r[1][2])[:3]
    print(f"{len(files)} files: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    print("slowest: " + ", ".join(f"{p.name} {r[2]:.1f} s" for p, r in slowest))
    return 1 if counts.get("crash") or counts.get("hang") else 0


if __name__ == "__main__":
    sys.exit(main())
