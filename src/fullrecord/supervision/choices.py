"""Choices of the inspection team's work (第十九条、第二十条)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草稿: scope still being set, no sample yet
    ACTIVE = (
        "active",
        _("Started"),
    )  # 已开始: seed fixed at the start, scope fixed, draws and reviews
    CLOSED = "closed", pgettext_lazy("inspection plan", "Closed")  # 已结束


class CaseStrata(models.TextChoices):
    """How a plan's case files are split into strata, each with its own sample size."""

    SECTION = "section", _("By section")  # 按科室
    CAUSE = "cause", _("By case type")  # 按案由


class FootageStrata(models.TextChoices):
    """How a plan's footage is split into strata, each with its own sample size."""

    SECTION = "section", _("By section")  # 按科室
    SOURCE = "source", _("By footage source (device)")  # 按音像来源（设备）


class SampleKind(models.TextChoices):
    CASE = "case", _("Case file")  # 案卷
    FOOTAGE = "footage", _("Footage")  # 音像记录


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("In progress")  # 评查中
    SUBMITTED = "submitted", _("Submitted")  # 已提交


class Answer(models.TextChoices):
    YES = "yes", _("Yes")  # 是
    NO = "no", _("No")  # 否
    NOT_APPLICABLE = "na", _("Not applicable")  # 不适用


class MachineCheck(models.TextChoices):
    """What a rubric item can be pre-filled from; the reviewer may still change the score."""

    NONE = "", _("None (scored by the reviewer)")
    RECORDS = "records", _("Every stage reached has a record")  # 各阶段均有记录
    DOCUMENTS = "documents", _("Required documents present")  # 必备文书齐全
    TIME_LIMITS = "time_limits", _("No step overdue")  # 无超期
    OFFICERS = "officers", _("At least two officers")  # 执法人员不少于两人
    SERVICE = "service", _("Documents served")  # 文书已送达
    CONTINUOUS = "continuous", _("Recording without interruption")  # 连续无中断
    NOTICE = "notice", _("The party was told recording is on")  # 已告知


class RectificationState(models.TextChoices):
    OPEN = "open", pgettext_lazy("rectification", "Open")  # 待整改
    ANSWERED = "answered", _("Answered")  # 已答复
    CLOSED = "closed", pgettext_lazy("rectification", "Closed")  # 已销号


class RectificationEvent(models.TextChoices):
    ISSUED = "issued", _("Issued")  # 下达
    ANSWERED = "answered", _("Answered")  # 答复
    ACCEPTED = "accepted", _("Accepted and closed")  # 验收销号
    REOPENED = "reopened", _("Reopened")  # 退回重改
    ESCALATED = "escalated", _("Escalated as overdue")  # 逾期督办
