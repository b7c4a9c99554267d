#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on 127.0.0.1 (starting them when they do not) and that the
# application role `wenming` exists. Prints nothing on success. Used by `make test` and `make prod`.
set -euo pipefail
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null; then
    ver=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
    [ -n "$ver" ] && { pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>/dev/null || pg_ctlcluster "$ver" main start || true; }
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL 不可用 (127.0.0.1:5432)" >&2; exit 1; }
psql_su() { if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then su postgres -c "psql -h 127.0.0.1 -v ON_ERROR_STOP=1 -qtA $*"; else psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; fi; }
if ! psql_su "-c \"SELECT 1 FROM pg_roles WHERE rolname='wenming'\"" | grep -q 1; then
  psql_su "-c \"CREATE ROLE wenming LOGIN PASSWORD 'wenming' CREATEDB\""
fi
if ! psql_su "-c \"SELECT 1 FROM pg_database WHERE datname='wenming'\"" | grep -q 1; then
  psql_su "-c \"CREATE DATABASE wenming OWNER wenming\""
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no \
    --logfile /tmp/wenming-redis.log >/dev/null
  for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { echo "Redis 不可用 (127.0.0.1:6379)" >&2; exit 1; }
