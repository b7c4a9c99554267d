"""Bulk builder of the Liaoning demo data. Deterministic: every choice comes from one seeded RNG.

Thousands of nodes are written with ``bulk_create`` level by level; each level's paths are then set
in bulk to ``parent.path + f"{pk:08d}."`` (the same result as ``organizations.services.org_create``).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import import_module
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from wenming.accounts.models import AdminDuty, User
from wenming.accounts.roles import Role
from wenming.core import pii
from wenming.organizations.choices import MassOrgType, NetworkType, OrgKind, OutletStatus, OutletType
from wenming.organizations.divisions import Division, counties_of, division
from wenming.organizations.models import (
    Brand,
    Enterprise,
    MassOrganisation,
    Organization,
    Outlet,
    RoleAssignment,
)
from wenming.organizations.services import lock_tree, step
from wenming.people.models import BodyKind, Courier, CourierStatus, GoverningBody, Membership, Position

from . import names

DEMO_PASSWORD = "Wenming#2017demo"  # documented demo password; demo accounts are refused in production
PROVINCE_CODE = "210000"
PROVINCE_NAME = "辽宁省邮政管理局"


@dataclass(frozen=True)
class SizeSpec:
    """How much to generate: enterprises + branches, outlets, couriers."""

    units: int
    outlets: int
    couriers: int


SIZES: dict[str, SizeSpec] = {
    "tiny": SizeSpec(units=40, outlets=60, couriers=300),
    "default": SizeSpec(units=300, outlets=2000, couriers=20000),
    "full": SizeSpec(units=520, outlets=5000, couriers=60000),
    # the two sizes of the benchmark's A1 case (bench/a1.py): about 1,000 vs 100,000 rows
    "1k": SizeSpec(units=40, outlets=100, couriers=1000),
    "100k": SizeSpec(units=800, outlets=10000, couriers=100000),
}

# Relative weight of each city (express volume and population; Shenyang and Dalian lead).
CITY_WEIGHTS: dict[str, float] = {
    "210100": 22,
    "210200": 20,
    "210300": 7.5,
    "210400": 5,
    "210500": 3.5,
    "210600": 5,
    "210700": 6,
    "210800": 5.5,
    "210900": 3.5,
    "211000": 4,
    "211100": 4,
    "211200": 4.5,
    "211300": 5,
    "211400": 4.5,
}

DIVISIONS = ["办公室", "政策法规处", "普遍服务处", "市场监管处", "人事处", "机关党委"]
DIVISION_HEAD_TITLES = {
    "办公室": "办公室主任",
    "政策法规处": "政策法规处处长",
    "普遍服务处": "普遍服务处处长",
    "市场监管处": "市场监管处处长",
    "人事处": "人事处处长",
    "机关党委": "机关党委专职副书记",
}
SECTIONS = ["办公室", "普遍服务科", "市场监管科"]


@dataclass(frozen=True)
class BrandSpec:
    """A 2017 network brand and how its local companies, branches and outlets are named."""

    code: str
    name: str
    display: str  # prefix of outlet names, e.g. 顺丰速运
    network: str
    enterprise: str  # {cs} = city short name, {city} = full city name
    branch: str  # {county} = full county name, {cshort} = county name without its suffix
    outlet_weight: float
    branch_weight: float
    rural_factor: float
    is_postal: bool = False


D, F = NetworkType.DIRECT, NetworkType.FRANCHISE
BRANDS: list[BrandSpec] = [
    BrandSpec(
        "CNPOST",
        "中国邮政",
        "中国邮政",
        D,
        "中国邮政集团公司{city}分公司",
        "中国邮政集团公司{city}{county}分公司",
        22,
        3,
        3.0,
        is_postal=True,
    ),
    BrandSpec(
        "EMS",
        "EMS",
        "EMS",
        D,
        "中国邮政速递物流股份有限公司{city}分公司",
        "中国邮政速递物流股份有限公司{city}{county}营业部",
        6,
        2,
        0.6,
    ),
    BrandSpec("SF", "顺丰", "顺丰速运", D, "{cs}顺丰速运有限公司", "{cs}顺丰速运有限公司{cshort}分公司", 10, 2, 0.5),
    BrandSpec("ZTO", "中通", "中通快递", F, "{cs}中通快递有限公司", "{cs}中通快递有限公司{cshort}分公司", 10, 2, 1.0),
    BrandSpec("YTO", "圆通", "圆通速递", F, "{cs}圆通速递有限公司", "{cs}圆通速递有限公司{cshort}分公司", 9, 2, 1.0),
    BrandSpec(
        "YUNDA",
        "韵达",
        "韵达快递",
        F,
        "{cs}韵达快递服务有限公司",
        "{cs}韵达快递服务有限公司{cshort}分公司",
        9,
        1.5,
        1.0,
    ),
    BrandSpec("STO", "申通", "申通快递", F, "{cs}申通快递有限公司", "{cs}申通快递有限公司{cshort}分公司", 8, 1.5, 0.8),
    BrandSpec("BEST", "百世", "百世快递", F, "{cs}百世快递有限公司", "{cs}百世快递有限公司{cshort}分公司", 7, 1, 0.7),
    BrandSpec(
        "JD", "京东", "京东物流", D, "{cs}京邦达物流科技有限公司", "{cs}京邦达物流科技有限公司{cshort}分公司", 5, 1, 0.5
    ),
    BrandSpec("DEPPON", "德邦", "德邦物流", D, "{cs}德邦物流有限公司", "{cs}德邦物流有限公司{cshort}分公司", 3, 1, 0.4),
    BrandSpec("TTK", "天天", "天天快递", F, "{cs}天天快递有限公司", "{cs}天天快递有限公司{cshort}分公司", 4, 0.5, 0.5),
    BrandSpec(
        "ZJS", "宅急送", "宅急送", D, "{cs}宅急送快运有限公司", "{cs}宅急送快运有限公司{cshort}分公司", 2, 0.5, 0.3
    ),
    BrandSpec("FAST", "快捷", "快捷快递", F, "{cs}快捷快递有限公司", "{cs}快捷快递有限公司{cshort}分公司", 2, 0.5, 0.3),
    BrandSpec("UC", "优速", "优速快递", F, "{cs}优速物流有限公司", "{cs}优速物流有限公司{cshort}分公司", 1.5, 0.5, 0.3),
    BrandSpec(
        "ANE", "安能", "安能物流", F, "{cs}安能物流有限公司", "{cs}安能物流有限公司{cshort}分公司", 1.5, 0.5, 0.3
    ),
]
BRAND_BY_CODE = {b.code: b for b in BRANDS}

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc(rng: random.Random, area_code: str) -> str:
    """A well-formed 统一社会信用代码 (GB 32100): 91 + area + organisation code (GB 11714) + check.

    The organisation-code body starts with ``MA`` like the codes issued since 2015, so it always
    contains letters and can never be mistaken for an ID number.
    """
    body = "MA" + "".join(rng.choice(_ORG_CHARS) for _ in range(6))
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    c9 = 11 - total % 11
    org_code = body + ("X" if c9 == 10 else "0" if c9 == 11 else str(c9))
    first17 = "91" + area_code + org_code
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return first17 + _USCC_CHARS[(31 - total % 31) % 31]


def city_short(name: str) -> str:
    return name[:-1] if name.endswith("市") else name


def county_short(name: str) -> str:
    for suffix in ("满族自治县", "蒙古族自治县", "自治县", "新区", "区", "县", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def county_kind(d: Division) -> str:
    if d.name.endswith("区"):
        return "district"
    if d.name.endswith("县"):
        return "county"
    return "county_city"


_RURAL_SHARE = {"district": 0.1, "county_city": 0.5, "county": 0.72}
_COUNTY_WEIGHT = {"district": 3.0, "county_city": 2.0, "county": 1.5}


@dataclass
class DemoContext:
    """What ``seed(ctx)`` of a module's ``demo`` module receives (see seed_demo's docstring)."""

    size: str
    rng: random.Random
    today: date
    province: Organization
    divisions: dict[str, Organization] = field(default_factory=dict)  # name → node
    cities: dict[str, Organization] = field(default_factory=dict)  # GB/T 2260 code → bureau
    sections: dict[str, dict[str, Organization]] = field(default_factory=dict)  # city code → name → node
    brands: dict[str, Brand] = field(default_factory=dict)  # brand code → Brand
    enterprises: list[Organization] = field(default_factory=list)
    branches: list[Organization] = field(default_factory=list)
    outlets: list[Organization] = field(default_factory=list)
    mass_orgs: list[Organization] = field(default_factory=list)
    bodies: dict[str, GoverningBody] = field(default_factory=dict)  # "province", "office", city code
    users: dict[str, User] = field(default_factory=dict)  # username → demo account
    summary: list[tuple[str, int]] = field(default_factory=list)  # (label, count) lines for the report
    enterprise_brand: dict[int, str] = field(default_factory=dict)  # enterprise/branch pk → brand code

    def enterprise_of(self, city_code: str, brand_code: str) -> Organization | None:
        """The top-level company of ``brand_code`` under the city bureau ``city_code`` (if any)."""
        for o in self.enterprises:
            if o.city_code == city_code and self.enterprise_brand.get(o.pk) == brand_code:
                return o
        return None

    def note(self, label: str, count: int) -> None:
        """Add a line to the Chinese summary printed at the end (used by module hooks)."""
        self.summary.append((label, count))


# --------------------------------------------------------------------------------------------------
# Tree writing helpers
# --------------------------------------------------------------------------------------------------


def _new_node(parent: Organization | None, kind: str, name: str, **fields: Any) -> Organization:
    city_code = fields.pop("city_code", None)
    if city_code is None:
        city_code = fields.get("code", "")[:6] if kind == OrgKind.CITY_BUREAU else (parent.city_code if parent else "")
    return Organization(
        parent=parent,
        kind=kind,
        name=name,
        path=f"tmp-{uuid.uuid4().hex}",
        depth=(parent.depth + 1) if parent else 0,
        city_code=city_code,
        **fields,
    )


def _save_level(nodes: list[Organization]) -> list[Organization]:
    """Insert one level of nodes, then give each its materialised path in one bulk update."""
    if not nodes:
        return nodes
    Organization.objects.bulk_create(nodes, batch_size=500)
    for n in nodes:
        n.path = (n.parent.path if n.parent else "") + step(n.pk)
    Organization.objects.bulk_update(nodes, ["path"], batch_size=500)
    return nodes


def _allocate(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split ``total`` into integer parts proportional to ``weights`` (largest remainder)."""
    s = sum(weights.values())
    raw = {k: total * w / s for k, w in weights.items()}
    out = {k: int(v) for k, v in raw.items()}
    rest = total - sum(out.values())
    for k in sorted(raw, key=lambda k: raw[k] - out[k], reverse=True)[:rest]:
        out[k] += 1
    return out


def _rand_date(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randrange((end - start).days + 1))


# --------------------------------------------------------------------------------------------------
# The build
# --------------------------------------------------------------------------------------------------


def seed_core(*, size: str = "default", seed: int = 2017) -> DemoContext:
    """Create the core demo data. Call inside a transaction; the caller checks idempotency."""
    spec = SIZES[size]
    rng = random.Random(seed)
    today = timezone.localdate()
    lock_tree()

    brands = {}
    for i, b in enumerate(BRANDS):
        # reuse a brand already entered by hand (matched by code, else by name)
        brand = Brand.objects.filter(code=b.code).first() or Brand.objects.filter(name=b.name).first()
        if brand is None:
            brand = Brand.objects.create(code=b.code, name=b.name, is_postal=b.is_postal, sort_order=i + 1)
        brands[b.code] = brand

    root = _new_node(None, OrgKind.PROVINCIAL_BUREAU, PROVINCE_NAME, code=PROVINCE_CODE, address="辽宁省沈阳市和平区")
    province = _save_level([root])[0]
    ctx = DemoContext(size=size, rng=rng, today=today, province=province, brands=brands)

    # Level 1: divisions, the 14 city bureaus, the mass organisations of the bureau.
    level1 = [_new_node(province, OrgKind.DIVISION, n) for n in DIVISIONS]
    city_divs = [division(code) for code in CITY_WEIGHTS]
    level1 += [
        _new_node(
            province, OrgKind.CITY_BUREAU, f"{d.name}邮政管理局", code=d.code, short_name=f"{city_short(d.name)}市局"
        )
        for d in city_divs
    ]
    mass = [
        ("辽宁省邮政管理局机关工会", MassOrgType.UNION),
        ("辽宁省邮政管理局机关团委", MassOrgType.YOUTH_LEAGUE),
        ("辽宁省邮政管理局机关妇委会", MassOrgType.WOMEN),
    ]
    level1 += [_new_node(province, OrgKind.MASS_ORGANISATION, n) for n, _ in mass]
    _save_level(level1)
    ctx.divisions = {o.name: o for o in level1 if o.kind == OrgKind.DIVISION}
    ctx.cities = {o.code: o for o in level1 if o.kind == OrgKind.CITY_BUREAU}
    ctx.mass_orgs = [o for o in level1 if o.kind == OrgKind.MASS_ORGANISATION]
    MassOrganisation.objects.bulk_create(
        [MassOrganisation(organization=o, mass_type=t) for o, (_, t) in zip(ctx.mass_orgs, mass, strict=True)]
    )

    # Level 2: sections of the city bureaus and the enterprises under them.
    units = _allocate(spec.units, CITY_WEIGHTS)
    counties = {code: counties_of(code) for code in CITY_WEIGHTS}
    level2: list[Organization] = []
    ent_meta: dict[int, tuple[BrandSpec, str]] = {}  # id(node) → (brand, licence)
    planned_branches: dict[int, list[Division]] = {}
    for code, bureau in ctx.cities.items():
        for s in SECTIONS:
            level2.append(_new_node(bureau, OrgKind.SECTION, s))
        d_city = division(code)
        n_ent = min(len(BRANDS), max(2, round(units[code] * 0.6)))
        n_branch = max(0, units[code] - n_ent)
        present = BRANDS[:n_ent]
        branch_counts = dict.fromkeys(range(n_ent), 0)
        urban_first = sorted(counties[code], key=lambda d: (county_kind(d) != "district", d.code))
        for _ in range(n_branch):
            choices = [i for i in range(n_ent) if branch_counts[i] < len(urban_first) - 1]
            if not choices:
                break
            i = rng.choices(choices, weights=[present[j].branch_weight for j in choices])[0]
            branch_counts[i] += 1
        for seq, b in enumerate(present, start=1):
            county = rng.choice(urban_first[: max(1, len(urban_first) // 2)])
            node = _new_node(
                bureau,
                OrgKind.ENTERPRISE,
                b.enterprise.format(cs=city_short(d_city.name), city=d_city.name),
                code=uscc(rng, county.code),
                short_name=f"{b.display}{city_short(d_city.name)}",
                address=f"{d_city.name}{county.name}{names.street(rng, county.code)}{rng.randint(1, 399)}号",
            )
            level2.append(node)
            ent_meta[id(node)] = (b, f"辽{code}{seq:03d}")
            # branches sit in distinct counties other than the company's own seat
            pool = [d for d in urban_first if d.code != county.code]
            planned_branches[id(node)] = pool[: branch_counts[seq - 1]]
    _save_level(level2)
    for o in level2:
        if o.kind == OrgKind.SECTION:
            ctx.sections.setdefault(o.city_code, {})[o.name] = o
        else:
            ctx.enterprises.append(o)

    # Level 3: branches.
    level3: list[Organization] = []
    branch_county: dict[int, str] = {}
    for ent in ctx.enterprises:
        b, _lic = ent_meta[id(ent)]
        city = division(ent.city_code)
        for d in planned_branches[id(ent)]:
            node = _new_node(
                ent,
                OrgKind.BRANCH,
                b.branch.format(cs=city_short(city.name), city=city.name, county=d.name, cshort=county_short(d.name)),
                code=uscc(rng, d.code),
                address=f"{city.name}{d.name}{names.street(rng, d.code)}{rng.randint(1, 299)}号",
            )
            level3.append(node)
            branch_county[id(node)] = d.code
            ent_meta[id(node)] = ent_meta[id(ent)]
    _save_level(level3)
    ctx.branches = level3

    ent_rows = []
    for o in ctx.enterprises + ctx.branches:
        b, lic = ent_meta[id(o)]
        ctx.enterprise_brand[o.pk] = b.code
        ent_rows.append(
            Enterprise(
                organization=o,
                brand=brands[b.code],
                licence_no=lic,
                licence_valid_to=_rand_date(rng, today - timedelta(days=60), today + timedelta(days=5 * 365)),
                network_type=b.network,
            )
        )
    Enterprise.objects.bulk_create(ent_rows, batch_size=500)

    # Level 4: outlets, hung under the branch of their county when the company has one there.
    by_city_brand: dict[tuple[str, str], Organization] = {}
    branch_at: dict[tuple[int, str], Organization] = {}
    for ent in ctx.enterprises:
        by_city_brand[(ent.city_code, ent_meta[id(ent)][0].code)] = ent
    for br in ctx.branches:
        branch_at[(br.parent_id, branch_county[id(br)])] = br
    outlets_per_city = _allocate(spec.outlets, CITY_WEIGHTS)
    outlet_nodes: list[Organization] = []
    outlet_rows: list[dict[str, Any]] = []
    used_names: set[str] = set()
    for code, n_out in outlets_per_city.items():
        city = division(code)
        cs = city_short(city.name)
        cty = counties[code]
        cty_weights = [_COUNTY_WEIGHT[county_kind(d)] for d in cty]
        present = [b for b in BRANDS if (code, b.code) in by_city_brand]
        for _ in range(n_out):
            d = rng.choices(cty, weights=cty_weights)[0]
            rural = rng.random() < _RURAL_SHARE[county_kind(d)]
            weights = [b.outlet_weight * (b.rural_factor if rural else 1.0) for b in present]
            b = rng.choices(present, weights=weights)[0]
            ent = by_city_brand[(code, b.code)]
            parent = branch_at.get((ent.pk, d.code), ent)
            otype, name, address = _outlet_identity(rng, b, city.name, cs, d, rural)
            tries = 0
            while name in used_names and tries < 6:
                otype, name, address = _outlet_identity(rng, b, city.name, cs, d, rural)
                tries += 1
            if name in used_names:
                n = 2
                while f"{name[:-1]}{n}部" in used_names:
                    n += 1
                name = f"{name[:-1]}{n}部"
            used_names.add(name)
            if b.code == "CNPOST":
                opened = _rand_date(rng, date(1985, 1, 1), date(2016, 12, 31))
            else:
                opened = _rand_date(rng, date(2008, 1, 1), today - timedelta(days=90))
            r = rng.random()
            status = OutletStatus.OPEN if r < 0.95 else OutletStatus.SUSPENDED if r < 0.98 else OutletStatus.CLOSED
            outlet_nodes.append(_new_node(parent, OrgKind.OUTLET, name, address=address))
            outlet_rows.append(
                {
                    "brand": b,
                    "outlet_type": otype,
                    "county_code": d.code,
                    "is_rural": rural,
                    "opened_on": opened,
                    "status": status,
                }
            )
    _save_level(outlet_nodes)
    ctx.outlets = outlet_nodes
    Outlet.objects.bulk_create(
        [
            Outlet(organization=o, **{**row, "brand": brands[row["brand"].code]})
            for o, row in zip(outlet_nodes, outlet_rows, strict=True)
        ],
        batch_size=1000,
    )

    n_couriers = _seed_couriers(ctx, spec.couriers, outlet_nodes, outlet_rows)
    _seed_users(ctx)
    n_members = _seed_bodies(ctx)

    ctx.note("市局", len(ctx.cities))
    ctx.note("处室/科室", len(ctx.divisions) + sum(len(s) for s in ctx.sections.values()))
    ctx.note("品牌", len(brands))
    ctx.note("企业", len(ctx.enterprises))
    ctx.note("分支机构", len(ctx.branches))
    ctx.note("网点", len(ctx.outlets))
    ctx.note("群团组织", len(ctx.mass_orgs))
    ctx.note("快递员", n_couriers)
    ctx.note("领导机构", len(ctx.bodies))
    ctx.note("领导机构成员", n_members)
    ctx.note("演示账号", len(ctx.users))
    return ctx


def _outlet_identity(
    rng: random.Random, b: BrandSpec, city: str, cs: str, d: Division, rural: bool
) -> tuple[str, str, str]:
    """(type, name, address) of an outlet, e.g. 顺丰速运沈阳和平区南京北街营业部."""
    if rural:
        town = names.town(rng)
        if b.code == "CNPOST":
            if rng.random() < 0.4:
                return OutletType.POST_OFFICE, f"{d.name}{town}邮政支局", f"{city}{d.name}{town}{names.street(rng, '')}"
            vil = names.village(rng)
            return OutletType.VILLAGE_STATION, f"{d.name}{town}{vil}村邮站", f"{city}{d.name}{town}{vil}"
        if rng.random() < 0.55:
            return (
                OutletType.SERVICE_POINT,
                f"{b.display}{cs}{d.name}{town}营业部",
                f"{city}{d.name}{town}{names.street(rng, '')}{rng.randint(1, 199)}号",
            )
        vil = names.village(rng)
        return OutletType.VILLAGE_STATION, f"{b.display}{d.name}{town}{vil}服务站", f"{city}{d.name}{town}{vil}"
    st = names.street(rng, d.code)
    address = f"{city}{d.name}{st}{rng.randint(1, 399)}号"
    if b.code == "CNPOST":
        return OutletType.POST_OFFICE, f"{city}{d.name}{st}邮政支局", address
    if rng.random() < 0.25:
        est = names.estate(rng)
        return OutletType.PARCEL_STATION, f"{b.display}{cs}{d.name}{est}驿站", f"{city}{d.name}{st}{est}"
    return OutletType.SERVICE_POINT, f"{b.display}{cs}{d.name}{st}营业部", address


_COURIER_WEIGHT = {
    OutletType.SERVICE_POINT: 14.0,
    OutletType.POST_OFFICE: 7.0,
    OutletType.PARCEL_STATION: 2.0,
    OutletType.VILLAGE_STATION: 1.2,
}


def _seed_couriers(ctx: DemoContext, total: int, outlets: list[Organization], rows: list[dict[str, Any]]) -> int:
    """Couriers with valid GB 11643 IDs (area = the outlet's county), mobiles, realistic flags."""
    rng, today = ctx.rng, ctx.today
    weights = [_COURIER_WEIGHT[r["outlet_type"]] * (0.3 if r["status"] == OutletStatus.CLOSED else 1.0) for r in rows]
    picks = rng.choices(range(len(outlets)), weights=weights, k=total)
    picks.sort()
    used_ids: set[str] = set()
    used_phones: set[str] = set()
    odd, even = "13579", "02468"
    batch: list[Courier] = []
    for idx in picks:
        outlet, row = outlets[idx], rows[idx]
        b: BrandSpec = row["brand"]
        gender = "M" if rng.random() < (0.75 if b.is_postal else 0.88) else "F"
        year = int(rng.triangular(1965, 2003.999, 1990))
        birth = _rand_date(rng, date(year, 1, 1), date(year, 12, 31))
        while True:
            first17 = f"{row['county_code']}{birth:%Y%m%d}{rng.randrange(100):02d}{rng.choice(odd if gender == 'M' else even)}"
            id_number = first17 + pii.id_check_char(first17)
            if id_number not in used_ids:
                used_ids.add(id_number)
                break
        while True:
            phone = rng.choice(names.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            if phone not in used_phones:
                used_phones.add(phone)
                break
        adult = date(birth.year + 18, birth.month, min(birth.day, 28))
        earliest = max(adult, date(2003, 1, 1))
        latest = today - timedelta(days=30)
        started = latest - timedelta(days=int((latest - earliest).days * rng.random() ** 1.2))
        age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        direct = b.network == NetworkType.DIRECT
        if b.is_postal:
            job = "rural_carrier" if row["is_rural"] else "postal_carrier"
        else:
            job = "courier"
        left = row["status"] == OutletStatus.CLOSED or rng.random() < 0.06
        c = Courier(
            outlet=outlet,
            name=names.person_name(rng, gender),
            gender=gender,
            birth_date=birth,
            started_delivery_on=started,
            has_labour_contract=rng.random() < (0.92 if direct else 0.6),
            is_party_member=rng.random() < (0.07 if age >= 35 else 0.025),
            is_league_member=age <= 28 and rng.random() < 0.4,
            is_union_member=rng.random() < (0.85 if direct else 0.35),
            job=job,
            status=CourierStatus.LEFT if left else CourierStatus.ACTIVE,
        )
        c.set_id_number(id_number)
        c.set_phone(phone)
        batch.append(c)
        if len(batch) >= 2000:
            Courier.objects.bulk_create(batch)
            batch = []
    Courier.objects.bulk_create(batch)
    return total


def _person(rng: random.Random) -> str:
    return names.person_name(rng, "M" if rng.random() < 0.7 else "F")


def _seed_users(ctx: DemoContext) -> None:
    """The demo accounts (password ``DEMO_PASSWORD``; ``is_demo`` so production refuses them)."""
    now = timezone.now()
    sf_shenyang = ctx.enterprise_of("210100", "SF")
    office = ctx.divisions["办公室"]
    accounts: list[tuple[str, Organization, list[str], str | None]] = [
        ("sysadmin", ctx.province, [], Role.SYSTEM_ADMIN),
        ("secadmin", ctx.province, [], Role.SECURITY_ADMIN),
        ("auditor", ctx.province, [], Role.AUDIT_ADMIN),
        ("province", office, [Role.PROVINCE_ADMIN, Role.COMMITTEE_OFFICE], None),
        # drafts the province's 督办事项; `province` approves them (two-person rule, 督办设置)
        ("office", office, [Role.COMMITTEE_OFFICE], None),
        ("shenyang", ctx.cities["210100"], [Role.CITY_ADMIN], None),
        ("dalian", ctx.cities["210200"], [Role.CITY_ADMIN], None),
        ("sf_shenyang", sf_shenyang, [Role.ENTERPRISE_ADMIN], None),
        ("expert1", ctx.province, [Role.EXPERT], None),
    ]
    # One hash for all: the password is public anyway, and Argon2 costs ~0.2-0.8 s per hash.
    password_hash = make_password(DEMO_PASSWORD)
    for username, home, roles, duty in accounts:
        user = User.objects.create(
            username=username,
            password=password_hash,
            display_name=_person(ctx.rng),
            is_demo=True,
            must_change_password=False,
            password_changed_at=now,
            home_organization=home,
        )
        for role in roles:
            # grants of the province account sit on the bureau itself, so they cover the whole tree
            target = ctx.province if username in ("province", "office") else home
            RoleAssignment.objects.create(user=user, organization=target, role=role)
        if duty:
            AdminDuty.objects.create(user=user, duty=duty)
        ctx.users[username] = user


def _seed_bodies(ctx: DemoContext) -> int:
    """Clause 三(一): the provincial steering committee, its office, and each city's leading group."""
    rng = ctx.rng
    members: list[Membership] = []
    basis = "《辽宁省邮政行业精神文明建设工作实施方案》"
    start = date(2017, 3, 1)
    director, deputy_in_charge, deputy = _person(rng), _person(rng), _person(rng)
    committee = GoverningBody.objects.create(
        organization=ctx.province,
        kind=BodyKind.STEERING_COMMITTEE,
        name="辽宁省邮政管理局精神文明建设指导委员会",
        established_on=start,
        basis=basis,
    )
    office_body = GoverningBody.objects.create(
        organization=ctx.divisions["办公室"],
        kind=BodyKind.COMMITTEE_OFFICE,
        name="辽宁省邮政管理局精神文明建设指导委员会办公室",
        established_on=start,
        basis=basis,
    )
    ctx.bodies["province"], ctx.bodies["office"] = committee, office_body
    seats = [
        (committee, director, "局长", Position.CHAIR, None),
        (committee, deputy_in_charge, "副局长（分管）", Position.VICE_CHAIR, None),
        (committee, deputy, "副局长", Position.VICE_CHAIR, None),
    ]
    heads = {name: _person(rng) for name in DIVISIONS}
    seats += [(committee, heads[n], DIVISION_HEAD_TITLES[n], Position.MEMBER, None) for n in DIVISIONS]
    province_user = ctx.users["province"]
    seats += [
        (office_body, deputy_in_charge, "副局长（分管）", Position.OFFICE_HEAD, None),
        (office_body, heads["办公室"], "办公室主任", Position.MEMBER, None),
        (office_body, province_user.display_name, "办公室主任科员", Position.MEMBER, province_user),
    ]
    for order, (body, person, title, position, user) in enumerate(seats):
        members.append(
            Membership(
                body=body,
                person_name=person,
                post_title=title,
                position=position,
                user=user,
                valid_from=start,
                sort_order=order,
            )
        )
    liaison_users = {"210100": ctx.users["shenyang"], "210200": ctx.users["dalian"]}
    for code, bureau in ctx.cities.items():
        founded = _rand_date(rng, date(2017, 3, 10), date(2017, 4, 28))
        group = GoverningBody.objects.create(
            organization=bureau,
            kind=BodyKind.LEADING_GROUP,
            name=f"{bureau.name}精神文明建设领导小组",
            established_on=founded,
            basis=f"{bureau.name}关于成立精神文明建设领导小组的通知",
        )
        ctx.bodies[code] = group
        user = liaison_users.get(code)
        liaison = user.display_name if user else _person(rng)
        city_seats = [
            (_person(rng), "局长", Position.GROUP_HEAD, None),
            (_person(rng), "副局长（分管）", Position.DEPUTY_HEAD, None),
            (_person(rng), "办公室主任", Position.MEMBER, None),
            (_person(rng), "普遍服务科科长", Position.MEMBER, None),
            (_person(rng), "市场监管科科长", Position.MEMBER, None),
            (liaison, "办公室科员", Position.LIAISON, user),
        ]
        for order, (person, title, position, u) in enumerate(city_seats):
            members.append(
                Membership(
                    body=group,
                    person_name=person,
                    post_title=title,
                    position=position,
                    user=u,
                    valid_from=founded,
                    sort_order=order,
                )
            )
    Membership.objects.bulk_create(members)
    return len(members)


def run_module_hooks(ctx: DemoContext) -> list[str]:
    """Call ``seed(ctx)`` of every ``wenming.demo.modules.<app label>`` that exists, in INSTALLED_APPS order.

    Each domain module's demo builder lives here, in the demo layer above every app, so that it can use
    the demo pictures (``wenming.demo.images``) and fill any app it needs; returns the modules run."""
    ran = []
    for app in apps.get_app_configs():
        if not app.name.startswith("wenming.") or app.name in {"wenming.core", "wenming.demo"}:
            continue  # the core data are built by seed_core itself
        module_name = f"wenming.demo.modules.{app.label}"
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        seed = getattr(module, "seed", None)
        if callable(seed):
            seed(ctx)
            ran.append(module_name)
    return ran
