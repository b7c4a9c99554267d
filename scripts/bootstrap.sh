#!/usr/bin/env bash
# Installs what Wenming needs on a Debian 12 machine: system packages (when root and missing),
# a virtualenv with the pinned Python packages, compiled message catalogues.
#   scripts/bootstrap.sh          runtime only
#   scripts/bootstrap.sh dev      + test tools and the browser
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-run}

RUN_PKGS="fonts-noto-cjk libharfbuzz-subset0 gettext"
DEV_PKGS="chromium poppler-utils wrk redis-server redis-tools"  # redis: make bench starts its own servers
want="$RUN_PKGS"; [ "$MODE" = dev ] && want="$want $DEV_PKGS"
missing=()
for p in $want; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> 安装系统软件包: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "!! 缺少系统软件包: ${missing[*]}（请以 root 运行或手动安装）" >&2
  fi
fi

PY=""
for c in python3.11 python3 python3.12 python3.13; do
  if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    PY=$c; break
  fi
done
[ -n "$PY" ] || { echo "需要 Python >= 3.11" >&2; exit 1; }
if [ ! -x .venv/bin/python ]; then
  echo "==> 创建虚拟环境 (.venv)"
  "$PY" -m venv .venv || { echo "python3 -m venv 失败：Debian 上请安装 python3-venv" >&2; exit 1; }
fi
req=requirements.txt; [ "$MODE" = dev ] && req=requirements-dev.txt
stamp=.venv/.installed-$(sha256sum requirements.txt requirements-dev.txt | sha256sum | cut -c1-12)-$MODE
if [ ! -f "$stamp" ]; then
  echo "==> 安装 Python 依赖 ($req)"
  .venv/bin/pip install -q --disable-pip-version-check -r "$req" 2> >(grep -v "^WARNING: Location" >&2)
  touch "$stamp"
fi
.venv/bin/python manage.py compilemessages -v0 --ignore=.venv >/dev/null
