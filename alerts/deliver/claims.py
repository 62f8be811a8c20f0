"""Who is sending a delivery, and whether that process still runs.

A process that claims a delivery writes an owner token into the row before it calls the
channel: ``host/pid/start/nonce``, where ``start`` is the process's start time in clock
ticks since boot (``/proc/PID/stat``), so a recycled pid is not mistaken for the owner.
When a later run finds a row still ``sending``, it can tell at once whether the owner is
gone (same host: the pid no longer runs, is a zombie or is another process) instead of
waiting for the claim's lease to run out. Owners on another host are never judged: their
rows wait for the lease.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from uuid import uuid4

PROC = Path("/proc")


def _start_ticks(pid: int) -> str | None:
    """The process's start time (field 22 of /proc/PID/stat), or None if it is not running
    (gone or a zombie). ``""`` where /proc is not available."""
    if not PROC.is_dir():
        return ""
    try:
        stat = (PROC / str(pid) / "stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    # The command name (field 2) is in brackets and may hold spaces: split after it.
    fields = stat[stat.rfind(")") + 2 :].split()
    if len(fields) < 20 or fields[0] in ("Z", "X"):
        return None
    return fields[19]


def owner_token() -> str:
    """A token naming this process (and this call: a fresh nonce) as a claim's owner."""
    pid = os.getpid()
    return f"{socket.gethostname()}/{pid}/{_start_ticks(pid) or ''}/{uuid4().hex[:8]}"


def owner_gone(token: str | None) -> bool:
    """True when the process named by ``token`` surely no longer runs on this host.

    False when it runs, when it ran on another host, or when the token cannot be read:
    such claims are left to their lease.
    """
    if not token:
        return False
    parts = token.split("/")
    if len(parts) != 4 or not parts[1].isdigit():
        return False
    host, pid_text, start, _nonce = parts
    if host != socket.gethostname():
        return False
    pid = int(pid_text)
    ticks = _start_ticks(pid)
    if ticks is None:
        return True
    if ticks == "":  # no /proc: ask the kernel whether the pid exists at all
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False
    return bool(start) and ticks != start
