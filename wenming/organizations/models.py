"""The organisation tree (materialised path), brands, enterprise and outlet profiles, role grants."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.accounts.roles import Role
from wenming.core.models import TimeStampedModel

from .choices import MassOrgType, NetworkType, OrgKind, OutletStatus, OutletType
from .divisions import division_name
from .scoping import ScopedQuerySet, subtree_q

PATH_STEP = 8  # digits per level: the node's own primary key, zero-padded, plus "."


class OrganizationQuerySet(ScopedQuerySet):
    scope_field = ""  # the row *is* the organisation


class Organization(TimeStampedModel):
    """A node of the regulatory tree: 省局 → 处室 / 市局 → 科室 / 企业 → 分支 → 网点."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("上级")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=OrgKind.choices, db_index=True)
    name = models.CharField(_("名称"), max_length=100, db_index=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    code = models.CharField(
        _("代码"), max_length=32, blank=True, help_text=_("市局为 GB/T 2260 区划代码；企业为统一社会信用代码")
    )
    path = models.CharField(_("路径"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("层级"), default=0, editable=False)
    city_code = models.CharField(_("所属地市代码"), max_length=6, blank=True, db_index=True)
    is_active = models.BooleanField(_("有效"), default=True, db_index=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("组织机构")
        verbose_name_plural = _("组织机构")
        ordering = ["path"]
        indexes = [
            models.Index(fields=["kind", "city_code", "is_active"]),
            # Direct-child counts by kind (enterprise list 直属网点数, tree child counts).
            models.Index(fields=["parent", "kind"], name="org_parent_kind_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(kind="city_bureau"),
                name="org_city_bureau_code_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def organization(self) -> Organization:
        return self

    def ancestors(self) -> models.QuerySet[Organization]:
        prefixes = [self.path[: i + PATH_STEP + 1] for i in range(0, len(self.path) - 1, PATH_STEP + 1)]
        return Organization.objects.filter(path__in=prefixes[:-1]).order_by("depth")

    def descendants(self, include_self: bool = False) -> models.QuerySet[Organization]:
        qs = Organization.objects.filter(subtree_q("path", self.path))
        return qs if include_self else qs.exclude(pk=self.pk)

    def is_descendant_of(self, other: Organization) -> bool:
        return self.path.startswith(other.path)


class Brand(models.Model):
    """A network brand (EMS, 顺丰, 中通…): the unit of satisfaction reporting."""

    name = models.CharField(_("品牌"), max_length=40, unique=True)
    code = models.CharField(_("代码"), max_length=20, unique=True)
    is_postal = models.BooleanField(_("邮政普遍服务"), default=False)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("品牌")
        verbose_name_plural = _("品牌")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class EnterpriseQuerySet(ScopedQuerySet):
    scope_field = "organization"


class Enterprise(models.Model):
    """Licence and corporate attributes of an enterprise or branch node."""

    organization = models.OneToOneField(
        Organization, primary_key=True, on_delete=models.CASCADE, related_name="enterprise", verbose_name=_("机构")
    )
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("品牌"))
    licence_no = models.CharField(_("快递业务经营许可证号"), max_length=40, blank=True, db_index=True)
    licence_valid_to = models.DateField(_("许可证有效期至"), null=True, blank=True)
    network_type = models.CharField(
        _("经营方式"), max_length=10, choices=NetworkType.choices, default=NetworkType.DIRECT
    )

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        indexes = [models.Index(fields=["network_type"], name="ent_network_type_idx")]

    def __str__(self) -> str:
        return self.organization.name

    @property
    def city_name(self) -> str:
        return division_name(self.organization.city_code)


class OutletQuerySet(ScopedQuerySet):
    scope_field = "organization"


class Outlet(models.Model):
    """Service attributes of an outlet node (网点)."""

    organization = models.OneToOneField(
        Organization, primary_key=True, on_delete=models.CASCADE, related_name="outlet", verbose_name=_("机构")
    )
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="outlets", verbose_name=_("品牌"))
    outlet_type = models.CharField(
        _("网点类型"), max_length=20, choices=OutletType.choices, default=OutletType.SERVICE_POINT
    )
    county_code = models.CharField(_("区县代码"), max_length=6, db_index=True)
    is_rural = models.BooleanField(_("农村网点"), default=False, db_index=True)
    opened_on = models.DateField(_("开办日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=OutletStatus.choices, default=OutletStatus.OPEN, db_index=True
    )

    objects = OutletQuerySet.as_manager()

    class Meta:
        verbose_name = _("网点")
        verbose_name_plural = _("网点")
        indexes = [
            models.Index(fields=["outlet_type"], name="outlet_type_idx"),
            models.Index(fields=["brand", "status"], name="outlet_brand_status_idx"),
        ]

    def __str__(self) -> str:
        return self.organization.name

    @property
    def county_name(self) -> str:
        return division_name(self.county_code)


class MassOrganisation(models.Model):
    """A union, League committee or women's committee attached to a unit."""

    organization = models.OneToOneField(
        Organization, primary_key=True, on_delete=models.CASCADE, related_name="mass_org", verbose_name=_("机构")
    )
    mass_type = models.CharField(_("群团类型"), max_length=20, choices=MassOrgType.choices)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("群团组织")
        verbose_name_plural = _("群团组织")


class OrgMoveQuerySet(ScopedQuerySet):
    scope_field = "organization"


class OrgMove(models.Model):
    """History of structural changes: moves and deactivations keep the old place on record."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="moves")
    kind = models.CharField(max_length=20, default="move")  # move | deactivate | reactivate | rename
    old_parent = models.ForeignKey(Organization, null=True, on_delete=models.SET_NULL, related_name="+")
    new_parent = models.ForeignKey(Organization, null=True, on_delete=models.SET_NULL, related_name="+")
    old_path = models.CharField(max_length=255, blank=True)
    new_path = models.CharField(max_length=255, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    objects = OrgMoveQuerySet.as_manager()

    KIND_LABELS = {"move": "调整上级", "deactivate": "停用", "reactivate": "启用", "rename": "更名"}

    class Meta:
        ordering = ["-at", "-id"]

    @property
    def kind_label(self) -> str:
        return self.KIND_LABELS.get(self.kind, self.kind)


class RoleAssignmentQuerySet(ScopedQuerySet):
    scope_field = "organization"


class RoleAssignment(TimeStampedModel):
    """A role granted on a node; it covers the node's subtree. Default is deny."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("用户")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("授权机构")
    )
    role = models.CharField(_("角色"), max_length=30)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="role_assignment_unique"),
            models.CheckConstraint(
                condition=~models.Q(role__in=["system_admin", "security_admin", "audit_admin"]),
                name="role_assignment_not_admin_duty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} : {self.role}"

    @property
    def role_label(self) -> str:
        try:
            return Role(self.role).label
        except ValueError:
            return self.role


class IssuingSealQuerySet(ScopedQuerySet):
    scope_field = "organization"


BUREAU_KINDS = (OrgKind.PROVINCIAL_BUREAU, OrgKind.CITY_BUREAU)


class IssuingSeal(TimeStampedModel):
    """The seal image a bureau (省局 or 市局) prints on the certificates it issues.

    Uploaded through ``wenming.core.uploads`` (re-encoded JPEG without metadata). ``is_specimen`` marks
    the generated demo seal, which carries 样章 across its face.
    """

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="issuing_seal", verbose_name=_("出具单位")
    )
    image = models.FileField(_("印章图像"), max_length=200)
    original_name = models.CharField(_("文件名"), max_length=100, blank=True)
    is_specimen = models.BooleanField(_("样章"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = IssuingSealQuerySet.as_manager()

    class Meta:
        verbose_name = _("出具印章")
        verbose_name_plural = _("出具印章")

    def __str__(self) -> str:
        return f"{self.organization.name}印章"
