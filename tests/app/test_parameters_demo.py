"""The demo shows a parameter page: every chart link it prints opens a page with the
parameter's step chart and the values it printed."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from starlette.exceptions import StarletteDeprecationWarning

from app.config_file import load_settings
from app.demo import run_demo
from app.runtime import Runtime
from app.service import web_settings
from web.app import create_app

with warnings.catch_warnings():  # Starlette prefers httpx2; the pinned httpx works
    warnings.filterwarnings("ignore", category=StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

_LINK_RE = re.compile(r"^\s+- (?P<label>.+?) \((?P<where>.+)\): (?P<values>.+)\n"
                      r"\s+history and chart: http://127\.0\.0\.1:8000(?P<path>/parameters/\d+)$",
                      re.M)  # fmt: skip


def test_demo_prints_parameter_pages_that_open_with_their_chart(tmp_path: Path) -> None:
    lines: list[str] = []
    run_demo(tmp_path, echo=lines.append)
    output = "\n".join(lines)
    printed = list(_LINK_RE.finditer(output))
    assert printed, output
    # the demo's sub-decree raises the contribution rate 4% -> 6% (Khmer text)
    assert any("៤%" in m["values"] and "៦%" in m["values"] for m in printed)
    rt = Runtime(load_settings(tmp_path / "config.toml"))
    try:
        with TestClient(create_app(web_settings(rt))) as client:
            for m in printed:
                page = client.get(m["path"])
                assert page.status_code == 200, m["path"]
                assert "<svg" in page.text and 'role="img"' in page.text
                values = m["values"].split(" -> ")
                assert page.text.count("<circle") == len(values)
                assert all(v in page.text for v in values)
    finally:
        rt.close()
