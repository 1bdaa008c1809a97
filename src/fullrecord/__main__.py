"""The ``fullrecord`` console command: what ``manage.py`` is in other projects."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fullrecord.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - reads the environment, refuses bad values
    except ImproperlyConfigured as exc:
        # A clear sentence before anything runs (e.g. retention below the floor of 第十二条).
        sys.stderr.write(f"fullrecord: {exc}\n")
        sys.exit(2)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
