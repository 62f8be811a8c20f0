"""A TCP port on 127.0.0.1 that nothing listens on (yet)."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A port the system just handed out and took back: free for a server to bind."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
