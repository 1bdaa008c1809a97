"""Stages and states of a case (第二条、第三条: 发现 … 结案, 归档)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """The stages article 2 names, in order; each state belongs to one."""

    DISCOVERY = "discovery", _("Discovery")  # 发现
    STOPPING = "stopping", _("Stopping")  # 制止
    FILING = "filing", _("Case filing")  # 立案
    INVESTIGATION = "investigation", _("Investigation")  # 调查取证
    REVIEW = "review", _("Review")  # 审理
    DECISION = "decision", _("Decision")  # 处理决定
    SERVICE = "service", _("Service")  # 送达
    ENFORCEMENT = "enforcement", _("Enforcement")  # 执行
    CLOSING = "closing", _("Closing")  # 结案
    ARCHIVING = "archiving", _("Archiving")  # 归档
    EXIT = "exit", _("Ended early")  # 不予立案/撤案/终止/移送


class CaseState(models.TextChoices):
    DISCOVERED = "discovered", _("Discovered")  # 发现
    STOPPED = "stopped", _("Violation stopped")  # 制止
    FILED = "filed", _("Filed")  # 立案
    INVESTIGATING = "investigating", _("Under investigation")  # 调查取证
    LEGAL_REVIEW = "legal_review", _("Legal review")  # 审理·法制审核
    COLLECTIVE_DISCUSSION = "collective_discussion", _("Collective discussion")  # 审理·集体讨论
    NOTIFIED = "notified", _("Party notified")  # 处理决定·告知
    HEARING = "hearing", _("Hearing")  # 处理决定·听证
    DECIDED = "decided", _("Decision made")  # 处理决定
    SERVED = "served", _("Decision served")  # 送达
    ENFORCING = "enforcing", _("Enforcing")  # 执行
    CLOSED = "closed", _("Closed")  # 结案
    ARCHIVED = "archived", _("Archived")  # 归档
    NOT_FILED = "not_filed", _("Not filed")  # 不予立案
    WITHDRAWN = "withdrawn", _("Withdrawn")  # 撤案
    TERMINATED = "terminated", _("Terminated")  # 终止
    TRANSFERRED = "transferred", _("Transferred")  # 移送


STAGE_OF_STATE: dict[str, str] = {
    CaseState.DISCOVERED: Stage.DISCOVERY,
    CaseState.STOPPED: Stage.STOPPING,
    CaseState.FILED: Stage.FILING,
    CaseState.INVESTIGATING: Stage.INVESTIGATION,
    CaseState.LEGAL_REVIEW: Stage.REVIEW,
    CaseState.COLLECTIVE_DISCUSSION: Stage.REVIEW,
    CaseState.NOTIFIED: Stage.DECISION,
    CaseState.HEARING: Stage.DECISION,
    CaseState.DECIDED: Stage.DECISION,
    CaseState.SERVED: Stage.SERVICE,
    CaseState.ENFORCING: Stage.ENFORCEMENT,
    CaseState.CLOSED: Stage.CLOSING,
    CaseState.ARCHIVED: Stage.ARCHIVING,
    CaseState.NOT_FILED: Stage.EXIT,
    CaseState.WITHDRAWN: Stage.EXIT,
    CaseState.TERMINATED: Stage.EXIT,
    CaseState.TRANSFERRED: Stage.EXIT,
}

EXIT_STATES = frozenset(s for s, stage in STAGE_OF_STATE.items() if stage == Stage.EXIT)
FINAL_STATES = EXIT_STATES | {CaseState.ARCHIVED}
# 第十条: from investigation on, at least two named officers with certificates.
TWO_OFFICER_STATES = frozenset(
    s
    for s, stage in STAGE_OF_STATE.items()
    if stage not in (Stage.DISCOVERY, Stage.STOPPING, Stage.FILING, Stage.EXIT)
)


def states_of_stage(stage: str) -> list[str]:
    return [state for state, st in STAGE_OF_STATE.items() if st == stage]


class DiscoverySource(models.TextChoices):
    PATROL = "patrol", _("Patrol")  # 巡查
    REPORT = "report", _("Public report")  # 举报
    SATELLITE = "satellite", _("Satellite monitoring")  # 卫片监测
    TRANSFER = "transfer", _("Transferred in")  # 移送
    ASSIGNED = "assigned", _("Assigned by superior")  # 交办
    OTHER = "other", _("Other")  # 其他


class PartyKind(models.TextChoices):
    PERSON = "person", _("Person")  # 自然人
    ORGANISATION = "organisation", _("Organisation")  # 法人或其他组织


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident ID card")  # 居民身份证
    CREDIT_CODE = "credit_code", _("Unified social credit code")  # 统一社会信用代码
    PASSPORT = "passport", _("Passport")  # 护照
    OTHER = "other", _("Other document")  # 其他证件


class DayCounting(models.TextChoices):
    CALENDAR = "calendar", _("Calendar days")  # 自然日
    WORKING = "working", _("Working days")  # 工作日


class LimitKind(models.TextChoices):
    LIMIT = "limit", _("The bureau must act by")  # 办理时限
    WINDOW = "window", _("The party's window")  # 当事人期间
    NOTICE = "notice", _("Advance notice")  # 提前通知


class RecordKind(models.TextChoices):
    """The columns of the completeness grid (第七条, 第十条第三项)."""

    WRITTEN = "written", _("Written records")  # 文字记录
    AUDIOVISUAL = "audiovisual", _("Audiovisual records")  # 音像记录
    PARTY = "party", _("Party's papers")  # 当事人提交材料


class CompletenessFilter(models.TextChoices):
    MISSING = "missing", _("Records missing")  # 记录不全
    COMPLETE = "complete", _("Records complete")  # 记录齐全
    UNCHECKED = "unchecked", _("Records not yet checked")  # 待核查


class ChangeState(models.TextChoices):
    """A change of a case's facts (案件信息变更) after 立案."""

    PENDING = "pending", _("Awaiting approval")  # 待审批
    APPLIED = "applied", _("In effect")  # 已生效
    REJECTED = "rejected", _("Rejected")  # 已驳回
