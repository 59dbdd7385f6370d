"""The `vaora` command: Django's management utility with vaora's settings preset."""

import os
import sys


def main() -> None:
    # Key generation runs before Django: the settings refuse to load without keys, and this is
    # how an operator makes the first ones.
    if sys.argv[1:2] == ["generate_keys"]:
        from vaora.config import generate_keys

        sys.stdout.write(generate_keys())
        return
    # Commands are spelled with hyphens in the docs (`vaora import-paper`); Python modules
    # cannot be, so both spellings are accepted.
    if len(sys.argv) > 1 and "-" in sys.argv[1] and not sys.argv[1].startswith("-"):
        sys.argv[1] = sys.argv[1].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vaora.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
