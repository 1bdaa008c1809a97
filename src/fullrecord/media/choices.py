from django.db import models
from django.utils.translation import gettext_lazy as _


class MediaKind(models.TextChoices):
    VIDEO = "video", _("Video")  # 录像
    AUDIO = "audio", _("Audio")  # 录音
    PHOTO = "photo", _("Photo")  # 照片
    OTHER = "other", _("Other file")  # 其他


class ProbeStatus(models.TextChoices):
    PENDING = "pending", _("Being analysed")  # 分析中
    READY = "ready", _("Playable")  # 可播放
    PROXY = "proxy", _("Playable through a copy")  # 需转码播放
    UNPLAYABLE = "unplayable", _("Unplayable")  # 无法播放


class FixityStatus(models.TextChoices):
    """What the last fixity check found (第十八条第二项: originals are never altered)."""

    UNCHECKED = "unchecked", _("Not yet checked")  # 未核验
    INTACT = "intact", _("Intact")  # 完好
    ALTERED = "altered", _("Fixity failed: bytes changed")  # 完整性核验失败：内容已变
    MISSING = "missing", _("Fixity failed: original missing")  # 完整性核验失败：原始文件缺失


class DerivativeKind(models.TextChoices):
    POSTER = "poster", _("Poster frame")
    THUMBNAIL = "thumbnail", _("Thumbnail")
    PROXY = "proxy", _("Playable copy")


class UploadState(models.TextChoices):
    RECEIVING = "receiving", _("Receiving")
    COMPLETE = "complete", _("Complete")
    TERMINATED = "terminated", _("Cancelled")
    EXPIRED = "expired", _("Expired")


class PlaybackSource(models.TextChoices):
    """What a playback grant sends: the original, a file made from it, or a marked copy."""

    ORIGINAL = "original", _("Original")  # 原件
    PROXY = "proxy", _("Playable copy")  # 可播放副本
    STILLS = "stills", _("Poster and thumbnail")  # 封面与缩略图
    RENDITION = "rendition", _("Watermarked rendition")  # 带水印的播放副本
