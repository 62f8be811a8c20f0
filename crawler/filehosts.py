"""File hosts: share links turned into direct downloads, for the hosts a source names.

Publishers often link a "view" page on a file host instead of the file itself:
``https://drive.google.com/file/d/<id>/view?usp=sharing`` is an HTML viewer, the PDF is at
``/uc?export=download&id=<id>`` on the same host (which redirects to
``drive.usercontent.google.com``). A source lists its file hosts in ``file_hosts``; links
on those hosts are rewritten by their shape (the path, not the host name), and the hosts
the downloads land on are added to the source's allowed domains. Links on other hosts are
left as they are.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

__all__ = ["direct_download", "download_domains"]

# Hosts a known file host hands its downloads to (redirects after the rewritten link).
_DOWNLOAD_HOSTS: dict[str, tuple[str, ...]] = {
    "drive.google.com": ("drive.usercontent.google.com",),
    "docs.google.com": ("drive.usercontent.google.com",),
    "www.dropbox.com": ("dl.dropboxusercontent.com",),
    "dropbox.com": ("dl.dropboxusercontent.com",),
}

_DRIVE_FILE = re.compile(r"^/file/d/(?P<id>[\w-]{10,})(?:/|$)")
_DOCS_FILE = re.compile(
    r"^/(?P<kind>document|spreadsheets|presentation)/d/(?P<id>[\w-]{10,})(?:/|$)"
)
_DOCS_FORMAT = {"document": "pdf", "spreadsheets": "xlsx", "presentation": "pdf"}


def _host_matches(host: str, hosts: tuple[str, ...]) -> bool:
    return any(host == h or host.endswith("." + h) for h in hosts)


def direct_download(url: str, file_hosts: tuple[str, ...]) -> str:
    """The direct-download URL of a share link on one of ``file_hosts``, else ``url``."""
    if not file_hosts:
        return url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not _host_matches(host, tuple(h.lower() for h in file_hosts)):
        return url
    query = parse_qs(parts.query)
    drive = _DRIVE_FILE.match(parts.path)
    if drive is None and parts.path in ("/open", "/uc") and query.get("id"):
        file_id = query["id"][0]
    elif drive is not None:
        file_id = drive["id"]
    else:
        file_id = ""
    if file_id:
        download = urlencode({"export": "download", "id": file_id})
        return urlunsplit((parts.scheme, parts.netloc, "/uc", download, ""))
    docs = _DOCS_FILE.match(parts.path)
    if docs is not None:
        path = f"/{docs['kind']}/d/{docs['id']}/export"
        fmt = urlencode({"format": _DOCS_FORMAT[docs["kind"]]})
        return urlunsplit((parts.scheme, parts.netloc, path, fmt, ""))
    if "dl" in query:  # Dropbox-style share links: ?dl=0 shows a page, ?dl=1 the file
        query["dl"] = ["1"]
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query, True), ""))
    return url


def download_domains(file_hosts: tuple[str, ...]) -> tuple[str, ...]:
    """``file_hosts`` plus the hosts their downloads are served from."""
    domains: list[str] = []
    for host in file_hosts:
        domains.append(host.lower())
        domains.extend(_DOWNLOAD_HOSTS.get(host.lower(), ()))
    return tuple(dict.fromkeys(domains))
