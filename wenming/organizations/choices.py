"""Enumerations of the organisation tree."""

from django.db import models


class OrgKind(models.TextChoices):
    PROVINCIAL_BUREAU = "provincial_bureau", "省局"  # 辽宁省邮政管理局, the root
    DIVISION = "division", "处室"  # department of the provincial bureau
    CITY_BUREAU = "city_bureau", "市局"  # one of the 14, keyed by GB/T 2260 code
    SECTION = "section", "科室"  # department of a city bureau
    ENTERPRISE = "enterprise", "企业"  # licensed operator under the city bureau that supervises it
    BRANCH = "branch", "分支机构"  # branch of an enterprise
    OUTLET = "outlet", "网点"  # public service point (网点/局所/村级站/驿站)
    MASS_ORGANISATION = "mass_organisation", "群团组织"  # 工会 / 团委 / 妇委会


class OutletType(models.TextChoices):
    SERVICE_POINT = "service_point", "营业网点"
    POST_OFFICE = "post_office", "局所"
    VILLAGE_STATION = "village_station", "村级站"
    PARCEL_STATION = "parcel_station", "驿站"


class OutletStatus(models.TextChoices):
    OPEN = "open", "营业"  # serving the public
    SUSPENDED = "suspended", "暂停营业"  # temporarily closed
    CLOSED = "closed", "已撤销"  # closed for good; kept for history


class NetworkType(models.TextChoices):
    DIRECT = "direct", "直营"
    FRANCHISE = "franchise", "加盟"


class MassOrgType(models.TextChoices):
    UNION = "union", "工会"
    YOUTH_LEAGUE = "youth_league", "团委"
    WOMEN = "women", "妇委会"
