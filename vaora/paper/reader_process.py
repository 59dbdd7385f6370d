"""A large register's reading half (reading.py) in a process of its own, so that parsing,
blind indexes and encryption run on a second core while the importing process decides and
stores (a thread could not: both halves are Python and would take turns at one GIL).

The parent starts `python -m vaora.paper.reader_child` (which calls serve() below), writes the
job (the reader's context, the file's path and name) to its stdin and reads chunks back from its
stdout, each a 4-byte length and a pickle of reading.pack(chunk). Pickle is safe here: both
ends are this code, on this machine, and nothing else writes to the pipe. The child is niced:
on a server the web processes keep the cores they need, and the import takes what is left.

The pipe holds one chunk at most, so the child is never far ahead (memory stays bounded). When
the parent stops reading — the import was cancelled, failed, or its process was killed — the
parent kills the child, or the child's next write finds the pipe broken and it exits."""

import functools
import gc
import os
import pickle
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from vaora.core.errors import VaoraError
from vaora.paper import reading

HEADER = struct.Struct(">I")


class ReaderFailed(RuntimeError):
    """The reader process ended without finishing the file (a crash: see the worker's log)."""


def chunks(context: reading.ReaderContext, path: str | Path, filename: str) -> Iterator:
    """The file's chunks, read by a child process. Raises the file's VaoraError (an unreadable
    file, missing columns) as reading on this thread would."""
    env = os.environ | {"DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE")
                        or settings.SETTINGS_MODULE}  # fmt: skip
    # The file's path on the command line says in `ps` what the process reads (a spooled
    # upload's name holds its number only).
    command = [sys.executable, "-m", "vaora.paper.reader_child", str(path)]
    child = subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE)  # noqa: S603
    try:
        with child.stdin:
            pickle.dump((context, str(path), filename), child.stdin)
        while True:
            message = _receive(child.stdout)
            if message is None:
                raise ReaderFailed(f"the register's reader ended early (exit {child.wait()})")
            kind, *body = message
            if kind == "chunk":
                yield body[0]
            elif kind == "error":
                raise VaoraError(*body)
            else:  # "done"
                return
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
        child.wait()


def _receive(stream) -> tuple | None:
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (size,) = HEADER.unpack(head)
    body = stream.read(size)
    if len(body) < size:
        return None
    message = pickle.loads(body)  # noqa: S301 - our own child's output, on our own pipe
    if message[0] == "chunk":
        return ("chunk", reading.unpack(message[1]))
    return message


def _send(out, message: tuple) -> None:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(HEADER.pack(len(body)))
    out.write(body)
    out.flush()


def serve(out, job_stream) -> None:
    """The child's work, once Django is set up: the job from `job_stream`, chunks to `out`."""
    from vaora.core.tabular import read_rows
    from vaora.paper import rows as register

    context, path, filename = pickle.load(job_stream)  # noqa: S301 - from our parent
    reader = reading.RegisterReader(context)
    try:
        try:
            with open(path, "rb") as raw:
                tabular_rows = read_rows(raw, filename, register.ALIASES)
                # The child runs with automatic collection off (reader_child). What a chunk
                # left (cycles included) is all young: collecting the young generation once
                # the reader has let go of the chunk frees it, without walking the caches
                # again — or the chunk's own lines, which the reader held until then.
                collect = functools.partial(gc.collect, 0)
                for chunk in reader.chunks(tabular_rows, raw.tell, between=collect):
                    _send(out, ("chunk", reading.pack(chunk)))
                    del chunk
            _send(out, ("done",))
        except VaoraError as error:
            _send(out, ("error", error.code, error.message_vi, error.message_en, error.status))
    except BrokenPipeError:  # the parent stopped reading: nothing to tell anyone
        os._exit(0)
