"""What an original's deletion takes with it, as the apps that hang rows on it decide.

Only the retention sweep deletes an original, after two approvals and a grace period.
Other apps keep rows about an original (the device that recorded it, moments marked in
it, an inspection sample): each registers a *releaser* here in ``AppConfig.ready``. A
releaser removes or detaches its rows and returns ``""``, or returns why the original
must stay (an inspection still under way). The sweep calls them inside the deletion's
own savepoint, so a refusal by one undoes what the others released. Media imports no
such app.
"""

from __future__ import annotations

from collections.abc import Callable

Releaser = Callable[[object], str]
_RELEASERS: list[Releaser] = []


def register(func: Releaser) -> Releaser:
    """``func(item) -> ""`` when its rows let go of ``item``; else why ``item`` stays."""
    if func not in _RELEASERS:
        _RELEASERS.append(func)
    return func


def release(item) -> str:
    """Ask every app to let go of ``item``; the first reason to keep it, or ``""``."""
    for func in _RELEASERS:
        why = func(item)
        if why:
            return why
    return ""
