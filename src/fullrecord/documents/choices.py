"""Kinds, states and methods of written records (文字记录, 第七、八条)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """Where a document comes from: drafted here from a template, or a scan."""

    DRAFTED = "drafted", _("Drafted from a template")  # 系统制作
    SCAN = "scan", _("Uploaded scan")  # 扫描上传
    PARTY = "party", _("Submitted by the party")  # 当事人提交


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草稿
    PENDING = "pending", _("Awaiting approval")  # 审批中
    APPROVED = "approved", _("Approved")  # 已审批
    ISSUED = "issued", _("Issued")  # 已制发
    RECEIVED = "received", _("Filed scan")  # 已归入（扫描件）


# Statuses in which a document counts as present in the case file.
PRESENT = (Status.ISSUED, Status.RECEIVED)


class StepStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")  # 待审批
    APPROVED = "approved", _("Approved")  # 同意
    REJECTED = "rejected", _("Rejected")  # 不同意
    CANCELLED = "cancelled", _("Not reached")  # 未审批


class ServiceMethod(models.TextChoices):
    """送达方式 (行政处罚法第六十一条; 民事诉讼法 on service)."""

    DIRECT = "direct", _("In person")  # 直接送达
    LEFT = "left", _("Left at the residence")  # 留置送达
    POST = "post", _("By post")  # 邮寄送达
    ELECTRONIC = "electronic", _("Electronically")  # 电子送达
    PUBLIC = "public", _("By public notice")  # 公告送达


class Field(models.TextChoices):
    """The parts a drafted document may have; each type uses some of them."""

    PARTY = "party", _("Party")  # 当事人
    CAUSE = "cause", _("Cause")  # 案由
    OFFICERS = "officers", _("Officers")  # 执法人员
    PLACE = "place", _("Place")  # 地点
    TIME = "time", _("Time")  # 时间
    FACTS = "facts", _("Facts")  # 违法事实
    EVIDENCE = "evidence", _("Evidence")  # 证据
    LEGAL_BASIS = "legal_basis", _("Legal basis")  # 法律依据
    PENALTY = "penalty", _("Penalty")  # 处罚内容
    PAYMENT = "payment", _("How and where to pay")  # 履行方式和地点
    REMEDIES = "remedies", _("Remedies and their time limits")  # 救济途径和期限
    BODY = "body", _("Text")  # 正文
    OPINION = "opinion", _("Opinion")  # 意见


class PartyKindFilter(models.TextChoices):
    """Which parties a checklist item is asked of (cases.choices.PartyKind, or both)."""

    BOTH = "", _("Every party")  # 所有当事人
    PERSON = "person", _("Person")  # 自然人
    ORGANISATION = "organisation", _("Organisation")  # 法人或其他组织


# The document type of the scans filed against the party-paper checklist: the checklist
# item says what each one is, so it stands outside the catalogue's stages and grid.
PARTY_PAPER = "party_paper"
