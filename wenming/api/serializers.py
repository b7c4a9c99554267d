"""Read-only representations. Personal data leave the server only as the stored masked hints."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wenming.organizations.divisions import division_name
from wenming.organizations.models import Enterprise, Organization, Outlet
from wenming.people.models import Courier


def _related(obj: Any, name: str) -> Any:
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


class EnterpriseProfileSerializer(serializers.ModelSerializer):
    brand = serializers.CharField(source="brand.name", read_only=True, help_text=_("品牌"))
    network_type = serializers.CharField(read_only=True, help_text=_("经营方式：direct 直营 / franchise 加盟"))
    network_type_label = serializers.CharField(source="get_network_type_display", read_only=True)

    class Meta:
        model = Enterprise
        fields = ["brand", "licence_no", "licence_valid_to", "network_type", "network_type_label"]


class OutletProfileSerializer(serializers.ModelSerializer):
    brand = serializers.CharField(source="brand.name", read_only=True, help_text=_("品牌"))
    outlet_type = serializers.CharField(
        read_only=True,
        help_text=_("service_point 营业网点 / post_office 局所 / village_station 村级站 / parcel_station 驿站"),
    )
    outlet_type_label = serializers.CharField(source="get_outlet_type_display", read_only=True)
    county_name = serializers.SerializerMethodField(help_text=_("区县名称（GB/T 2260）"))
    status = serializers.CharField(read_only=True, help_text=_("open 营业 / suspended 暂停营业 / closed 已撤销"))
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Outlet
        fields = [
            "brand",
            "outlet_type",
            "outlet_type_label",
            "county_code",
            "county_name",
            "is_rural",
            "opened_on",
            "status",
            "status_label",
        ]

    def get_county_name(self, obj: Outlet) -> str:
        return division_name(obj.county_code)


class OrganizationSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(
        read_only=True,
        help_text=_(
            "provincial_bureau 省局 / division 处室 / city_bureau 市局 / section 科室 / enterprise 企业 / "
            "branch 分支机构 / outlet 网点 / mass_organisation 群团组织"
        ),
    )
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    city_name = serializers.SerializerMethodField(help_text=_("所属地市名称"))
    parent_name = serializers.SerializerMethodField(help_text=_("上级机构名称"))
    enterprise = serializers.SerializerMethodField(help_text=_("企业或分支机构的许可信息（其他类型为 null）"))
    outlet = serializers.SerializerMethodField(help_text=_("网点信息（其他类型为 null）"))

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "kind_label",
            "code",
            "city_code",
            "city_name",
            "parent",
            "parent_name",
            "depth",
            "is_active",
            "address",
            "enterprise",
            "outlet",
        ]
        read_only_fields = fields

    def get_city_name(self, obj: Organization) -> str:
        return division_name(obj.city_code)

    def get_parent_name(self, obj: Organization) -> str:
        return obj.parent.name if obj.parent_id else ""

    @extend_schema_field(EnterpriseProfileSerializer(allow_null=True))
    def get_enterprise(self, obj: Organization) -> dict | None:
        ent = _related(obj, "enterprise")
        return EnterpriseProfileSerializer(ent).data if ent is not None else None

    @extend_schema_field(OutletProfileSerializer(allow_null=True))
    def get_outlet(self, obj: Organization) -> dict | None:
        out = _related(obj, "outlet")
        return OutletProfileSerializer(out).data if out is not None else None


class CourierSerializer(serializers.ModelSerializer):
    """No birth date and no county; the hint keeps one character at each end (docs/adr/0005)."""

    gender = serializers.CharField(read_only=True, help_text=_("M 男 / F 女"))
    gender_label = serializers.CharField(source="get_gender_display", read_only=True)
    job = serializers.CharField(
        read_only=True, help_text=_("courier 快递员 / postal_carrier 投递员 / rural_carrier 乡村邮递员")
    )
    job_label = serializers.CharField(source="get_job_display", read_only=True)
    status = serializers.CharField(read_only=True, help_text=_("active 在岗 / left 离职"))
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    outlet_name = serializers.CharField(source="outlet.name", read_only=True)
    employer_name = serializers.SerializerMethodField(help_text=_("网点的上级（企业或分支机构）"))
    city_code = serializers.CharField(source="outlet.city_code", read_only=True)
    city_name = serializers.SerializerMethodField()
    id_number_hint = serializers.CharField(
        source="masked_id_number",
        read_only=True,
        help_text=_("身份证号（脱敏，只留首末各一位，如 2****************4）"),
    )
    phone_hint = serializers.CharField(read_only=True, help_text=_("手机号（脱敏，如 138****5678）"))

    class Meta:
        model = Courier
        fields = [
            "id",
            "name",
            "gender",
            "gender_label",
            "job",
            "job_label",
            "status",
            "status_label",
            "outlet",
            "outlet_name",
            "employer_name",
            "city_code",
            "city_name",
            "started_delivery_on",
            "has_labour_contract",
            "is_party_member",
            "is_league_member",
            "is_union_member",
            "id_number_hint",
            "phone_hint",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_employer_name(self, obj: Courier) -> str:
        return obj.outlet.parent.name if obj.outlet.parent_id else ""

    def get_city_name(self, obj: Courier) -> str:
        return division_name(obj.outlet.city_code)
