from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "fullrecord.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from fullrecord.audit.labels import ACTION_LABELS
        from fullrecord.core import todo

        from . import hooks, wiring, wiring_documents

        todo.provider(hooks.todo_items)
        wiring.register()
        wiring_documents.register()
        ACTION_LABELS.update(
            {
                "supervision.plan_create": _("Inspection plan created"),
                "supervision.plan_edit": _("Inspection plan changed"),
                "supervision.plan_start": _("Inspection plan started"),
                "supervision.dashboard_refresh": _("Dashboard figures counted again"),
                "supervision.plan_close": _("Inspection plan closed"),
                "supervision.draw": _("Sample drawn"),
                "supervision.rubric": _("Rubric item saved"),
                "supervision.review_open": _("Review opened"),
                "supervision.review_score": _("Review scored"),
                "supervision.review_submit": _("Review submitted"),
                "supervision.mark": _("Moment marked in footage"),
                "supervision.rectification_issue": _("Rectification order issued"),
                "supervision.rectification_answer": _("Rectification order answered"),
                "supervision.rectification_close": _("Rectification order closed"),
                "supervision.rectification_reopen": _("Rectification order reopened"),
                "supervision.rectification_escalate": _("Rectification order escalated"),
                "supervision.export": _("Supervision figures exported"),
            }
        )
