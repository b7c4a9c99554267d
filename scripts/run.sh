#!/usr/bin/env bash
# Serves the embedded profile with a background task worker. Used by `make run`.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${1:-8000}
.venv/bin/python manage.py db_worker >var/worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
cat <<TXT

  文明平台已启动： http://127.0.0.1:${PORT}/
  演示账号（密码均为 Wenming#2017demo）：
    province   省局（指导委员会办公室）     shenyang   沈阳市局管理员
    dalian     大连市局管理员               sf_shenyang 顺丰沈阳（企业管理员）
    expert1    评审专家                     sysadmin / secadmin / auditor  三员
  按 Ctrl+C 停止。

TXT
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT}" --noreload
