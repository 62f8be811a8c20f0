"""Read a document in a child process that is killed when it runs too long or too big.

Malformed PDFs can make a reader loop, balloon or crash inside C code; none of that may
stop a batch. :func:`read_isolated` runs :func:`parsers.read.reader.read` in a child process
forked from a ``forkserver`` that has the readers already imported (a call costs tens of
milliseconds, not the seconds a fresh interpreter would). The child:

- starts its own process group, so the ``pdftotext`` and ``tesseract`` processes it starts
  die with it when the group is killed;
- caps its address space with ``RLIMIT_AS`` (``memory_mb``), so a runaway allocation fails
  in the child (``MemoryError``) instead of taking the machine down;
- sends back the :class:`~parsers.document.Document` or the
  :class:`~parsers.errors.ParseError` it met (same class, message and attributes).

The parent waits ``timeout_s`` at most, then kills the group and raises
:class:`~parsers.errors.TimedOut`; a child that dies without answering gives
:class:`~parsers.errors.ReaderCrashed` (with the signal) and one that ran out of memory
:class:`~parsers.errors.OutOfMemory`.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import multiprocessing
import os
import resource
import signal
import sys
import time
import traceback
import types
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any

from parsers.document import Document
from parsers.errors import OutOfMemory, ParseError, ReaderCrashed, TimedOut
from parsers.read.reader import ReadLimits, read

logger = logging.getLogger(__name__)

#: Modules the forkserver imports once, so each child starts with them loaded.
PRELOAD = ["parsers.read.isolation"]
#: Seconds a child that has answered gets to exit before it is killed.
EXIT_GRACE_S = 5.0


def read_isolated(
    data: bytes,
    *,
    name: str = "",
    limits: ReadLimits | None = None,
    timeout_s: float = 300,
    memory_mb: int = 2048,
    reader: Callable[..., Document] = read,
) -> Document:
    """:func:`parsers.read.reader.read` in a killable child process (see the module doc).

    ``reader`` (a module-level function taking ``data, name=, limits=``) replaces
    :func:`~parsers.read.reader.read`, for tests of the isolation itself.

    Raises the child's :class:`~parsers.errors.ParseError` as it was, or
    :class:`~parsers.errors.TimedOut`, :class:`~parsers.errors.OutOfMemory`,
    :class:`~parsers.errors.ReaderCrashed`.
    """
    if timeout_s <= 0:
        raise ValueError(f"timeout_s must be > 0, got {timeout_s!r}")
    if memory_mb <= 0:
        raise ValueError(f"memory_mb must be > 0, got {memory_mb!r}")
    context = _get_context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child,
        args=(sender, reader, data, name, limits, memory_mb),
        name=f"sptrack-read {name}"[:60],
        daemon=True,
    )
    started = time.monotonic()
    with _main_module_hidden():
        process.start()
    sender.close()
    logger.debug("reading %s in process group %s", name or "document", process.pid)
    answer: tuple[str, Any] | None = None
    timed_out = False
    try:
        ready = wait([receiver, process.sentinel], timeout_s)
        if receiver in ready:
            try:
                answer = receiver.recv()
            except (EOFError, OSError):
                answer = None  # died before answering: the exit code says why
        elif not ready:
            timed_out = True
            _kill(process)
        process.join(EXIT_GRACE_S)
    finally:
        receiver.close()
        if process.is_alive():
            _kill(process)
        process.join()
        exitcode = process.exitcode
        process.close()
    logger.debug("isolated read of %s: %.3f s", name or "document", time.monotonic() - started)
    if timed_out:
        logger.info("read of %s killed after %g s", name or "document", timeout_s)
        raise TimedOut(timeout_s, name=name)
    return _outcome(answer, exitcode, name=name, memory_mb=memory_mb)


def _outcome(
    answer: tuple[str, Any] | None, exitcode: int | None, *, name: str, memory_mb: int
) -> Document:
    """The Document the child sent, or the error its answer or its death stands for."""
    if answer is None:
        if exitcode is not None and exitcode < 0:
            raise ReaderCrashed(f"signal {-exitcode}{_signal_name(-exitcode)}", name=name)
        raise ReaderCrashed(f"exit code {exitcode} without an answer", name=name)
    kind, payload = answer
    if kind == "document" and isinstance(payload, Document):
        return payload
    if kind == "parse_error":
        cls, message, state = payload
        error: ParseError = cls.__new__(cls)
        Exception.__init__(error, message)
        error.__dict__.update(state)
        raise error
    if kind == "memory":
        raise OutOfMemory(memory_mb, name=name)
    logger.error("reader failed on %s:\n%s", name or "document", payload)
    last = str(payload).strip().splitlines()
    raise ReaderCrashed(last[-1] if last else "unknown error", name=name)


def _child(
    sender: Connection,
    reader: Callable[..., Document],
    data: bytes,
    name: str,
    limits: ReadLimits | None,
    memory_mb: int,
) -> None:
    """Body of the child process: own process group, memory cap, read, answer."""
    os.setpgid(0, 0)
    cap = memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    answer: tuple[str, Any]
    try:
        answer = ("document", reader(data, name=name, limits=limits))
    except ParseError as exc:
        answer = ("parse_error", (type(exc), str(exc), dict(vars(exc))))
    except MemoryError:
        answer = ("memory", None)
    except Exception:  # any other failure is reported, never raised across the pipe
        answer = ("error", traceback.format_exc())
    try:
        sender.send(answer)
    except MemoryError:
        sender.send(("memory", None))
    finally:
        sender.close()


def _kill(process: Any) -> None:
    """SIGKILL the child's process group (its pdftotext/tesseract too), then the child."""
    pid = process.pid
    if pid is not None:
        # ESRCH: the child has not made its group yet, or the group is gone.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
    process.kill()


def _signal_name(number: int) -> str:
    try:
        return f", {signal.Signals(number).name}"
    except ValueError:
        return ""


@contextlib.contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Start a child without the parent's main script.

    multiprocessing runs the parent's ``__main__`` file again in every new child (to find
    functions defined there); for ``sptrack`` that imports the whole command line and
    every library behind it, seconds per document. The reader needs nothing from it (it
    must live in an importable module), so while the child starts, ``__main__`` is an
    empty module, as in an interactive session. (Python 3.11's forkserver preload of
    ``__main__`` cannot help: it looks up a key the preparation data never has.)
    """
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


@functools.cache
def _get_context() -> Any:
    """The forkserver context, with the readers preloaded (set once per process)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context
