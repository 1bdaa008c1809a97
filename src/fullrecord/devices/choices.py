"""The fixed vocabularies of recording equipment (第九条、第十四条)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeviceKind(models.TextChoices):
    BODY_CAMERA = "body_camera", _("Body camera")  # 执法记录仪
    HANDHELD_CAMERA = "handheld_camera", _("Handheld camera")  # 手持摄像机
    AUDIO_RECORDER = "audio_recorder", _("Audio recorder")  # 录音笔
    FIXED_CAMERA = "fixed_camera", _("Fixed surveillance camera")  # 固定监控摄像机
    DOCKING_STATION = "docking_station", _("Docking station")  # 采集站


# Kinds an officer takes into the field; fixed cameras and stations stay where they are.
PORTABLE_KINDS = (DeviceKind.BODY_CAMERA, DeviceKind.HANDHELD_CAMERA, DeviceKind.AUDIO_RECORDER)
# Kinds that have a place (an interview room, a site, the equipment room).
STATIONARY_KINDS = (DeviceKind.FIXED_CAMERA, DeviceKind.DOCKING_STATION)


class DeviceStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")  # 可领用
    CHECKED_OUT = "checked_out", _("Checked out")  # 已领用
    FAULTY = "faulty", _("Faulty")  # 故障
    IN_REPAIR = "in_repair", _("In repair")  # 维修中
    RETIRED = "retired", _("Retired")  # 已报废


class TaskKind(models.TextChoices):
    PATROL = "patrol", _("Patrol")  # 执法巡查
    SURVEY = "survey", _("Site survey")  # 现场勘查
    INTERVIEW = "interview", _("Interview of a party")  # 询问当事人
    WATCH = "watch", _("Watch at a key point")  # 重点点位盯守 (第九条第二项)
    EVENT = "event", _("Support at a large event")  # 大型活动保障
    CASE = "case", _("Work on a case")  # 案件办理


class CheckItem(models.TextChoices):
    """The function check of 第九条第一项, confirmed item by item before each checkout."""

    POWER = "power", _("Powers on")
    CLOCK = "clock", _("Clock right")
    VIDEO = "video", _("Video records")
    AUDIO = "audio", _("Audio records")
    STORAGE = "storage", _("Free storage")
    BATTERY = "battery", _("Battery charged")


class FaultKind(models.TextChoices):
    BATTERY = "battery", _("Battery exhausted")  # 电量耗尽
    STORAGE = "storage", _("Storage full")  # 存储已满
    MALFUNCTION = "malfunction", _("Malfunction")  # 设备故障
    LOST = "lost", _("Lost")  # 丢失


class FaultState(models.TextChoices):
    REPORTED = "reported", _("Reported")  # 已报告
    IN_REPAIR = "in_repair", _("In repair")  # 维修中
    RESOLVED = "resolved", _("Back in service")  # 恢复使用
    RETIRED = "retired", _("Written off")  # 报废


OPEN_FAULT_STATES = (FaultState.REPORTED, FaultState.IN_REPAIR)

# What a fault's repair may move to next.
FAULT_MOVES: dict[str, tuple[str, ...]] = {
    FaultState.REPORTED: (FaultState.IN_REPAIR, FaultState.RESOLVED, FaultState.RETIRED),
    FaultState.IN_REPAIR: (FaultState.RESOLVED, FaultState.RETIRED),
}

# A failed checklist item opens a fault of this kind.
FAULT_OF_ITEM = {
    CheckItem.POWER: FaultKind.MALFUNCTION,
    CheckItem.CLOCK: FaultKind.MALFUNCTION,
    CheckItem.VIDEO: FaultKind.MALFUNCTION,
    CheckItem.AUDIO: FaultKind.MALFUNCTION,
    CheckItem.STORAGE: FaultKind.STORAGE,
    CheckItem.BATTERY: FaultKind.BATTERY,
}


class MarkKind(models.TextChoices):
    NOTICE = "notice", _("Party told recording is on")  # 告知 (第九条第二项)
    ARRIVAL = "arrival", _("Arrival on site")  # 到达现场
    QUESTIONING = "questioning", _("Start of questioning")  # 开始询问
    FREE = "free", _("Mark")  # 其他标记
