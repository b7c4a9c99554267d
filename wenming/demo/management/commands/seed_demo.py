"""``manage.py seed_demo [--size tiny|default|full]``: the Liaoning demo data (2017 brands).

What it creates (``wenming.demo``): 辽宁省邮政管理局 (210000) with its six divisions and three mass
organisations; the 14 city bureaus keyed by GB/T 2260 code, each with 办公室 / 普遍服务科 / 市场监管科;
15 brands; enterprises and branches spread over the cities by size; outlets with real county codes;
couriers with valid GB 11643 ID numbers (SM4-encrypted, blind-indexed); the clause 三(一) bodies
(指导委员会, its office, 14 领导小组) with fictional members; and the demo accounts (password
``Wenming#2017demo``): sysadmin, secadmin, auditor, province, shenyang, dalian, sf_shenyang, expert1.

Rules:
- Refused when ``settings.WENMING_PROFILE == "production"``.
- Idempotent: when the province node (kind ``provincial_bureau``, code 210000) already exists, the
  command changes nothing and says so. To start over, empty the database (``manage.py flush``).
- Deterministic: every choice comes from ``random.Random(--seed)`` (default 2017).
- Everything runs in one transaction: a failure leaves no partial demo data behind.

Module hook: after the core data, for every installed app ``wenming.<app>`` (INSTALLED_APPS order,
``wenming.core`` excluded) the command imports ``wenming.demo.modules.<app label>`` if it exists and calls its
``seed(ctx)``. ``ctx`` is a ``wenming.demo.DemoContext`` with ``size`` ("tiny" | "default" |
"full"), ``rng`` (the seeded ``random.Random`` — use it, never the global ``random``), ``today``,
``province``, ``divisions`` (name → node), ``cities`` (code → bureau), ``sections``, ``brands`` (code →
Brand), ``enterprises``, ``branches``, ``outlets``, ``mass_orgs``, ``bodies``, ``users`` (username →
demo account) and ``note(label, count)`` to add a line to the printed summary. Hooks run only on a
fresh seed (inside the same transaction), so they need no idempotency check of their own; they
should write in bulk and scale with ``ctx.size``.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.demo.builder import DEMO_PASSWORD, SIZES, run_module_hooks, seed_core
from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Organization


class Command(BaseCommand):
    help = "生成辽宁省邮政行业演示数据（机构、网点、快递员、领导机构、演示账号）；已有数据时不做任何改动"

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="default", help="数据规模")
        parser.add_argument("--seed", type=int, default=2017, help="随机种子（相同种子生成相同数据）")

    def handle(self, *args, size: str, seed: int, **options):
        if getattr(settings, "WENMING_PROFILE", "") == "production":
            raise CommandError("生产环境禁止生成演示数据（WENMING_PROFILE=production）")
        if Organization.objects.filter(kind=OrgKind.PROVINCIAL_BUREAU).exists():
            self.stdout.write("数据库中已有省局节点（演示数据已生成过，或已有正式数据），未做任何改动。")
            return
        started = time.monotonic()
        with transaction.atomic():
            ctx = seed_core(size=size, seed=seed)
            ran = run_module_hooks(ctx)
            counts = {label: n for label, n in ctx.summary}
            audit_record(
                AuditAction.CREATE,
                object_type="core.demo",
                object_repr="演示数据",
                detail={"size": size, "seed": seed, "counts": counts, "modules": ran},
            )
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"演示数据已生成（规模 {size}，用时 {elapsed:.1f} 秒）："))
        for label, n in ctx.summary:
            self.stdout.write(f"  {label}：{n:,}")
        if ran:
            self.stdout.write("  扩展模块：" + "、".join(ran))
        self.stdout.write(f"演示账号 {'、'.join(ctx.users)}，密码均为 {DEMO_PASSWORD}")
