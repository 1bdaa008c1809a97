from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgUnitKind(models.TextChoices):
    CITY_BUREAU = "city_bureau", _("City bureau")  # 市局
    COUNTY_BUREAU = "county_bureau", _("County bureau")  # 县局
    DETACHMENT = "detachment", _("Enforcement detachment")  # 执法监察支队
    SECTION = "section", _("Section")  # 科室


class Role(models.TextChoices):
    OFFICER = "officer", _("Enforcement officer")  # 执法人员
    SECTION_HEAD = "section_head", _("Section head")  # 科室负责人
    LEGAL = "legal", _("Legal reviewer")  # 法制审核
    LEADER = "leader", _("Leader in charge")  # 主管负责人
    INSPECTOR = "inspector", _("Inspector")  # 检查组
    ARCHIVIST = "archivist", _("Archivist")  # 档案管理员
    ADMIN = "admin", _("Administrator")  # 系统管理员
    # 三员分立 (GB/T 22239-2019 8.1.4.2 d): no account holds two of the three admin roles.
    SECURITY_ADMIN = "security_admin", _("Security administrator")  # 安全管理员
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")  # 审计管理员
