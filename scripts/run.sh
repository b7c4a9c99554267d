#!/usr/bin/env bash
# Serves the embedded profile (SQLite) with a background task worker and the periodic-job scheduler
# (manage.py scheduler). Stopping it (Ctrl+C or SIGTERM) stops all three.
#
#   scripts/run.sh [PORT]        `make run`: DEBUG off, granian with the production options
#                                (scripts/prod.sh), whitenoise's compressed static files
#   scripts/run.sh PORT dev      `make dev`: DEBUG on, Django's runserver with auto-reload
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${1:-8000}
MODE=${2:-run}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.local}
if [ "$MODE" = dev ]; then export DEBUG=1; else export DEBUG=0; fi
mkdir -p var
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
if [ "$MODE" = dev ]; then how="开发模式：DEBUG 开启，runserver 自动重载"; else
  WORKERS=${WEB_CONCURRENCY:-$((2 * $(nproc) + 1))}
  how="granian ${WORKERS} 个进程，DEBUG 关闭，静态文件压缩；访问日志见 var/server.log"
fi
cat <<TXT

  文明平台已启动： http://127.0.0.1:${PORT}/   （${how}）
  演示账号（密码均为 Wenming#2017demo）：
    province   省局（指导委员会办公室）     shenyang   沈阳市局管理员
    dalian     大连市局管理员               sf_shenyang 顺丰沈阳（企业管理员）
    expert1    评审专家                     sysadmin / secadmin / auditor  三员
  按 Ctrl+C 停止。

TXT
if [ "$MODE" = dev ]; then
  .venv/bin/python manage.py runserver "127.0.0.1:${PORT}" &
else
  # The same options as scripts/prod.sh (and bench/harness.py granian_args).
  .venv/bin/granian --interface wsgi --host 127.0.0.1 --port "$PORT" --workers "$WORKERS" \
    --blocking-threads 1 --respawn-failed-workers --log-level warning --access-log \
    config.wsgi:application >>var/server.log 2>&1 &
fi
server=$!
wait $server
