"""Reasons, outcomes and states of the retention chapter (第十二条、第十三条、第十八条第五项)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HoldReason(models.TextChoices):
    """第十三条: the four grounds for long-term preservation."""

    OBJECTION = "objection", _("The party objects, complains or petitions")  # 异议、投诉、上访
    OBSTRUCTION = (
        "obstruction",
        _("The party evades, refuses or obstructs, insults or assaults officers"),
    )  # 逃避、拒绝、阻碍，辱骂、殴打执法人员
    EMERGENCY = "emergency", _("Emergency or mass incident")  # 突发事件、群体性事件
    OTHER = "other", _("Other case that needs long-term preservation")  # 其他


class HoldState(models.TextChoices):
    ACTIVE = "active", _("In force")
    RELEASE_ASKED = "release_asked", _("Release awaiting the leader")
    RELEASED = "released", _("Released")


class Outcome(models.TextChoices):
    """How a case ended, which decides its case-file term."""

    PENALTY = "penalty", _("Penalty case (a decision was made)")  # 处罚案件
    NO_PENALTY = "no_penalty", _("Ended without a decision")  # 不予立案、撤案、终止、移送、未处罚


class Rule(models.TextChoices):
    """Why an item is kept until its date: the rule that gave the longest term."""

    ROUTINE = "routine", _("Routine footage")  # 第十二条: at least six months
    CASE_FILE = "case_file", _("Evidence of a case: kept as long as the case file")
    CASE_OPEN = "case_open", _("Evidence of a case not yet archived")
    PERMANENT = "permanent", _("Permanent case file")
    HOLD = "hold", _("Long-term hold")  # 第十三条


class SweepState(models.TextChoices):
    LISTED = "listed", _("Listed, awaiting approvals")
    APPROVED = "approved", _("Approved, waiting for the grace period")
    DONE = "done", _("Deleted, certificate issued")
    CANCELLED = "cancelled", _("Cancelled")
