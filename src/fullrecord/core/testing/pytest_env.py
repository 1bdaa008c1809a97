"""Loaded with ``-p`` before pytest-django reads the settings (see pyproject.toml).

Every test process gets a fresh, empty data directory, so no test ever touches a
real one or sees what an earlier run left behind; background tasks run at commit.
"""

import os
import tempfile

os.environ["FULLRECORD_DATA_DIR"] = tempfile.mkdtemp(prefix="fullrecord-test-")
os.environ.setdefault("FULLRECORD_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
