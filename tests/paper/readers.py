"""The paper importer's reader processes, as the operating system lists them."""

import os
from pathlib import Path


def readers_of(path: Path) -> list[int]:
    """Processes whose command line names this file (Linux /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                command = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"vaora.paper.reader_child" in command and str(path).encode() in command:
                found.append(int(entry))
    return found
