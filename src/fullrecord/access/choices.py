from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RequestState(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")  # 待审批
    APPROVED = "approved", _("Approved")  # 已批准
    REFUSED = "refused", _("Refused")  # 不予批准
    REVOKED = "revoked", _("Revoked")  # 已撤销
    WITHDRAWN = "withdrawn", pgettext_lazy("access request", "Withdrawn")  # 已撤回


class Purpose(models.TextChoices):
    VIEW = "view", _("View and play")  # 查阅
    COPY = "copy", _("View and take watermarked copies")  # 查阅并复制
    EXPORT = "export", _("Export originals (archivist)")  # 原件导出（档案管理员）
