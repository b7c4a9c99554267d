"""Enumerations of the organisation tree."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    PROVINCIAL_BUREAU = "provincial_bureau", _("省局")  # 辽宁省邮政管理局, the root
    DIVISION = "division", _("处室")  # department of the provincial bureau
    CITY_BUREAU = "city_bureau", _("市局")  # one of the 14, keyed by GB/T 2260 code
    SECTION = "section", _("科室")  # department of a city bureau
    ENTERPRISE = "enterprise", _("企业")  # licensed operator under the city bureau that supervises it
    BRANCH = "branch", _("分支机构")  # branch of an enterprise
    OUTLET = "outlet", _("网点")  # public service point (网点/局所/村级站/驿站)
    MASS_ORGANISATION = "mass_organisation", _("群团组织")  # 工会 / 团委 / 妇委会


class OutletType(models.TextChoices):
    SERVICE_POINT = "service_point", _("营业网点")
    POST_OFFICE = "post_office", _("局所")
    VILLAGE_STATION = "village_station", _("村级站")
    PARCEL_STATION = "parcel_station", _("驿站")


class OutletStatus(models.TextChoices):
    OPEN = "open", _("营业")  # serving the public
    SUSPENDED = "suspended", _("暂停营业")  # temporarily closed
    CLOSED = "closed", _("已撤销")  # closed for good; kept for history


class NetworkType(models.TextChoices):
    DIRECT = "direct", _("直营")
    FRANCHISE = "franchise", _("加盟")


class MassOrgType(models.TextChoices):
    UNION = "union", _("工会")
    YOUTH_LEAGUE = "youth_league", _("团委")
    WOMEN = "women", _("妇委会")
