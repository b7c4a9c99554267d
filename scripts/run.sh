#!/usr/bin/env bash
# Serves the embedded profile with a background task worker and the periodic-job scheduler
# (manage.py scheduler). Used by `make run`; stopping it (Ctrl+C or SIGTERM) stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${1:-8000}
.venv/bin/python manage.py db_worker >var/worker.log 2>&1 &
worker=$!
# Periodic jobs (digest 08:00, auto check-out, purges): claimed by the scheduler, run by the worker.
.venv/bin/python manage.py scheduler >var/scheduler.log 2>&1 &
scheduler=$!
server=
cleanup() {
  kill $worker $scheduler $server 2>/dev/null || true
  wait $worker $scheduler $server 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cat <<TXT

  文明平台已启动： http://127.0.0.1:${PORT}/
  演示账号（密码均为 Wenming#2017demo）：
    province   省局（指导委员会办公室）     shenyang   沈阳市局管理员
    dalian     大连市局管理员               sf_shenyang 顺丰沈阳（企业管理员）
    expert1    评审专家                     sysadmin / secadmin / auditor  三员
  按 Ctrl+C 停止。

TXT
.venv/bin/python manage.py runserver "127.0.0.1:${PORT}" --noreload &
server=$!
wait $server
