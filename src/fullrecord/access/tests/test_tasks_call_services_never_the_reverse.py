"""Tasks call services; no service imports a task (the copies ↔ tasks import cycle is gone)."""

from __future__ import annotations

import ast
from pathlib import Path

ACCESS = Path(__file__).resolve().parents[1]
SERVICES = ["copies.py", "services.py", "grants.py", "watermark.py", "models.py", "access.py"]


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            names.add(module)
            joint = "" if module.endswith(".") else "."
            names.update(f"{module}{joint}{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_service_module_imports_the_tasks():
    for name in SERVICES:
        found = {n for n in imported(ACCESS / name) if n.endswith(("tasks", ".tasks.make_copy"))}
        assert not found, f"access/{name} imports {found}: services must not call tasks"


def test_the_tasks_call_the_copy_service():
    assert ".copies" in imported(ACCESS / "tasks.py")
