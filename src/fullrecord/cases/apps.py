from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "fullrecord.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from fullrecord.audit.labels import ACTION_LABELS

        # The requirement that a stage left is complete, and its exceptions on the timeline.
        from . import completeness  # noqa: F401

        ACTION_LABELS["case.completeness_exception"] = _("Missing record explained")
        ACTION_LABELS["case.cause_created"] = _("Cause added")
        ACTION_LABELS["case.cause_changed"] = _("Cause changed")

        from fullrecord.audit.labels import register_fields
        from fullrecord.core import todo

        from . import todo as case_todo
        from .models import Case, Party

        todo.provider(case_todo.case_moves)
        todo.provider(case_todo.changes_to_decide)
        todo.provider(case_todo.deadlines_due)
        # The fields a change names in the audit log's details, by their names on the page.
        register_fields({f.name: f.verbose_name for f in Party._meta.fields})
        register_fields({f.name: f.verbose_name for f in Case._meta.fields})
        # The sealed values a party's change keeps, for the self-check and a key rotation.
        from . import sealing

        sealing.register()
