"""`python -m vaora.paper.reader_child FILE`: the paper importer's reader process
(reader_process.py). Its own module so that Django is set up before any model is imported."""

import gc
import os
import sys


def main() -> None:
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to stderr, never into the chunks
    os.nice(5)  # on a server the web processes keep the cores they need
    import django

    django.setup()
    from vaora.paper import reader_process

    # Reading makes a dozen small objects a line and keeps none of them past its chunk, so the
    # cyclic collector would only walk them (and Django) again and again: about a fifth of
    # the reading's time (8.1 → 6.3 s for 300,000 lines in one process, decision 0033). It is
    # off for this short-lived process, what it loaded is frozen first, and
    # reader_process.serve collects the young generation after each chunk, so no cycle piles up.
    gc.freeze()
    gc.disable()
    reader_process.serve(out, sys.stdin.buffer)


if __name__ == "__main__":
    main()
