#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if sys.argv[1:2] == ["run_worker"]:
        # Sends mail and makes tokens: like a server, it needs CENTRA_ENV set.
        os.environ.setdefault("CENTRA_SERVING", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
