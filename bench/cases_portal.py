"""Public-page benchmark case (issue 14): W1, Lighthouse mobile on the portal's public pages.

W1 — quality.md: Lighthouse mobile score ≥ 90, LCP ≤ 2.5 s, CLS ≤ 0.1, TBT ≤ 200 ms, on the home page, a news
     story, the vote page of an open 最美快递员 poll and an outlet survey page. Lighthouse (npm, pinned in
     ``bench/lighthouse/package.json``) is installed into ``bench/lighthouse/node_modules`` by
     ``bench/lighthouse/install.sh`` on first use, and drives Debian chromium (``CHROME_PATH``, default
     ``chromium`` on PATH) with its default mobile settings: Moto G Power viewport, simulated throttling
     (150 ms RTT, 1.6 Mbps down, 4 × CPU slowdown). Only the performance category is run.

The pages need content: the case migrates a scratch database of its own, fills it with the demo data
(``seed_demo --size tiny``: stories with cover pictures, polls, outlets and the default questionnaire),
collects the static files (the server renders hashed URLs) and starts the production server on it. Each
page is measured ``reps`` times; the figures are the medians per page, and the targets read the worst
page (lowest score, highest LCP/CLS/TBT). Full run only (``smoke=False``): one Lighthouse run takes
15–30 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

CHILD_TAG = "PORTAL_JSON "
LH_DIR = Path(__file__).resolve().parent / "lighthouse"
PAGES = ("home", "article", "poll", "survey")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-dev-shm-usage --disable-gpu"


# ---- child process -----------------------------------------------------------------------------------


def child_paths() -> dict[str, Any]:
    """The four public paths of the seeded database (a story with a cover, an open poll, an outlet)."""
    import django

    django.setup()
    from django.urls import reverse

    from wenming.organizations.models import Outlet
    from wenming.portal import selectors as portal_selectors
    from wenming.surveys import services as survey_services
    from wenming.voting import selectors as voting_selectors

    article = portal_selectors.public_articles().filter(cover__isnull=False).first()
    article = article or portal_selectors.public_articles().first()
    polls = voting_selectors.open_polls(1)
    outlet = None
    for o in Outlet.objects.filter(status="open", organization__is_active=True).order_by("pk")[:50]:
        survey_services.forget_outlet(o.pk)  # the bench Redis is shared: an earlier case's outlet of this id
        info = survey_services.outlet_info(o.pk)
        if info is not None and info.open and survey_services.questionnaire_for(info) is not None:
            outlet = o
            break
    missing = [
        name
        for name, row in (("article", article), ("poll", polls[0] if polls else None), ("survey", outlet))
        if not row
    ]
    if missing:
        return {"missing": missing}
    return {
        "home": "/",
        "article": reverse("public:portal-article", args=[article.pk]),
        "poll": reverse("public:voting-poll", args=[polls[0].pk]),
        "survey": reverse("public:surveys-outlet", args=[survey_services.outlet_token(outlet.pk)]),
    }


# ---- parent (harness) ------------------------------------------------------------------------------------


def _child(ctx: Any, args: list[str], timeout: float, db: str) -> dict[str, Any]:
    from bench.harness import PY, BenchError, run_bounded

    r = run_bounded([PY, "-m", "bench.cases_portal", *args], timeout=timeout, env=ctx.django_env(db))
    line = next((ln for ln in r["out"].splitlines() if ln.startswith(CHILD_TAG)), None)
    if r["timed_out"] or line is None:
        raise BenchError(f"portal {' '.join(args)}: {(r['err'] or r['out'])[-800:]}")
    return json.loads(line.removeprefix(CHILD_TAG))


def lighthouse_tools() -> tuple[str, str]:
    """(lighthouse CLI, chromium) — installs the pinned Lighthouse into bench/lighthouse/ on first use."""
    from bench.harness import run_bounded
    from bench.registry import Skip

    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chrome:
        raise Skip("未找到 chromium（设置 CHROME_PATH）")
    cli = LH_DIR / "node_modules" / ".bin" / "lighthouse"
    if not cli.exists():
        if not shutil.which("npm"):
            raise Skip("未安装 node/npm，无法安装 Lighthouse")
        r = run_bounded(["sh", str(LH_DIR / "install.sh")], timeout=600)
        if r["rc"] != 0 or not cli.exists():
            raise Skip(f"Lighthouse 安装失败：{(r['err'] or r['out']).strip()[-400:]}")
    return str(cli), chrome


def lighthouse(cli: str, chrome: str, url: str, out: Path) -> dict[str, float]:
    """One Lighthouse mobile run (default throttling), performance only; the figures W1 reads."""
    from bench.harness import BenchError, run_bounded

    env = dict(os.environ, CHROME_PATH=chrome)
    cmd = [
        cli,
        url,
        "--quiet",
        "--only-categories=performance",
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    # Chromium's trace sometimes misses the navigation start (NO_NAVSTART, "run Lighthouse again"): a
    # failed run is retried twice before the case reports an error.
    for attempt in range(3):
        out.unlink(missing_ok=True)
        r = run_bounded(cmd, timeout=180, env=env)
        report = json.loads(out.read_text(encoding="utf-8")) if out.exists() else None
        if r["rc"] == 0 and not r["timed_out"] and report and not report.get("runtimeError"):
            break
        why = (report or {}).get("runtimeError") or (r["err"] or r["out"]).strip()[-600:]
        if attempt == 2:
            raise BenchError(f"lighthouse {url}: {why}")
    audits = report["audits"]

    def num(key: str) -> float:
        return float(audits[key].get("numericValue") or 0.0)

    score = report["categories"]["performance"]["score"]
    return {
        "score": round((score or 0) * 100, 1),
        "lcp_ms": round(num("largest-contentful-paint")),
        "fcp_ms": round(num("first-contentful-paint")),
        "cls": round(num("cumulative-layout-shift"), 3),
        "tbt_ms": round(num("total-blocking-time")),
        "si_ms": round(num("speed-index")),
        "kb": round(num("total-byte-weight") / 1024, 1),
        "requests": len(audits.get("network-requests", {}).get("details", {}).get("items", [])),
    }


def run_w1(ctx: Any) -> dict[str, Any]:
    from bench.harness import PY, BenchError, median_metrics, run_bounded
    from bench.registry import HttpLoad, Skip

    cli, chrome = lighthouse_tools()
    # A database of its own, migrated empty: the run's database holds the other cases' organisation trees
    # by now, and seed_demo fills only a database without a province.
    db = ctx.create_db(f"{ctx.db_name}_w1")
    ctx.manage("migrate", "-v0", db=db, timeout=600)
    seed_env = dict(ctx.django_env(db), DJANGO_SETTINGS_MODULE="config.settings.local", DEBUG="0")
    r = run_bounded([PY, "manage.py", "seed_demo", "--size", "tiny"], timeout=900, env=seed_env)
    if r["rc"] != 0 or r["timed_out"]:
        raise BenchError(f"seed_demo: {(r['err'] or r['out']).strip()[-800:]}")
    paths = _child(ctx, ["--paths"], 120, db)
    if "missing" in paths:
        raise Skip("演示数据缺少页面：" + "、".join(paths["missing"]))
    ctx.manage("collectstatic", "--noinput", "-v0", db=db)  # the production server renders hashed URLs
    server = ctx.server(HttpLoad(path="/", db=db))
    out_dir = ctx.tmp / "lighthouse"
    out_dir.mkdir(exist_ok=True)
    metrics: dict[str, Any] = {}
    for name in PAGES:
        url = server.base + paths[name]
        runs = [lighthouse(cli, chrome, url, out_dir / f"{name}-{i}.json") for i in range(ctx.reps)]
        for key, value in median_metrics(runs).items():
            metrics[f"{name}_{key}"] = value
    metrics["score_min"] = min(metrics[f"{p}_score"] for p in PAGES)
    metrics["lcp_ms_max"] = max(metrics[f"{p}_lcp_ms"] for p in PAGES)
    metrics["cls_max"] = max(metrics[f"{p}_cls"] for p in PAGES)
    metrics["tbt_ms_max"] = max(metrics[f"{p}_tbt_ms"] for p in PAGES)
    metrics["lighthouse"] = run_bounded([cli, "--version"], timeout=30)["out"].strip()
    ctx.stop_servers()
    return metrics


def _register() -> None:
    from bench.registry import BenchCase, Target, register

    register(
        BenchCase(
            id="W1",
            title="公众页面 Lighthouse 移动端（首页、新闻、投票、满意度评价）",
            module="portal",
            order=90,
            run=run_w1,
            smoke=False,
            targets=(
                Target("score_min", ">=", 90, label="每页 Lighthouse 性能分 ≥ 90"),
                Target("lcp_ms_max", "<=", 2500, label="LCP ≤ 2.5 s"),
                Target("cls_max", "<=", 0.1, label="CLS ≤ 0.1"),
                Target("tbt_ms_max", "<=", 200, label="TBT ≤ 200 ms"),
            ),
            notes="Lighthouse 默认移动端模拟节流（150 ms RTT、1.6 Mbps、CPU 4×）；每页取各次运行的中位数。",
        )
    )


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--paths", action="store_true")
    a = ap.parse_args()
    print(CHILD_TAG + json.dumps(child_paths(), ensure_ascii=False))
    sys.exit(0)
else:
    _register()
