"""The write path imports nothing that reacts to it: no module that ``media.services``
imports — at the top or inside a function — leads back to it (issue 8: the cycle
services → tasks → tus → services is gone; analysis is queued through a signal)."""

from __future__ import annotations

import ast
from pathlib import Path

import fullrecord

PACKAGE = Path(fullrecord.__file__).resolve().parent


def _imports(path: Path, module: str) -> set[str]:
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {}
    for path in (PACKAGE / "media").rglob("*.py"):
        if {"tests", "migrations"} & set(path.parts):
            continue
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        modules[name.removesuffix(".__init__")] = path
    return {
        name: {dep for dep in _imports(path, name) if dep in modules and dep != name}
        for name, path in modules.items()
    }


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, stack = set(), [start]
    while stack:
        for dep in graph[stack.pop()]:
            if dep not in seen:
                seen.add(dep)
                stack.append(dep)
    return seen


def test_services_reach_neither_tasks_nor_back_to_themselves():
    graph = _graph()
    reached = _reachable(graph, "fullrecord.media.services")
    assert "fullrecord.media.tasks" not in reached
    assert "fullrecord.media.services" not in reached


def test_no_media_module_imports_itself_back_through_tasks():
    graph = _graph()
    assert "fullrecord.media.tasks" not in _reachable(graph, "fullrecord.media.tasks")
    assert "fullrecord.media.tus" not in _reachable(graph, "fullrecord.media.tus")


def test_a_new_original_is_still_analysed_once_committed(
    bureau, django_capture_on_commit_callbacks
):
    # The tests run tasks at once (ImmediateBackend): analysis ran iff it was queued.
    from fullrecord.media.choices import ProbeStatus
    from fullrecord.media.models import MediaItem

    from .evidence import ingest_bytes

    with django_capture_on_commit_callbacks(execute=True):
        item = ingest_bytes(bureau.officer, b"not a video, but evidence", "q.mp4").item
        assert MediaItem.objects.get(pk=item.pk).status == ProbeStatus.PENDING
    assert MediaItem.objects.get(pk=item.pk).status == ProbeStatus.UNPLAYABLE
