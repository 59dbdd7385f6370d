"""`python -m vaora.paper.reader_child FILE`: the paper importer's reader process
(reader_process.py). Its own module so that Django is set up before any model is imported."""

import os
import sys


def main() -> None:
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to stderr, never into the chunks
    os.nice(5)  # on a server the web processes keep the cores they need
    import django

    django.setup()
    from vaora.paper import reader_process

    reader_process.serve(out, sys.stdin.buffer)


if __name__ == "__main__":
    main()
