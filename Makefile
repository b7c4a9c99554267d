# Wenming — 辽宁邮政行业精神文明建设管理平台
SHELL := /bin/bash
PY := .venv/bin/python
PORT ?= 8000
PG_URL ?= postgres://wenming:wenming@127.0.0.1:5432/wenming
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15

.PHONY: run dev test lint format bootstrap bootstrap-dev test-sqlite test-pg prod bench bench-smoke seed backup restore restore-drill messages

bootstrap:
	@scripts/bootstrap.sh run

bootstrap-dev:
	@scripts/bootstrap.sh dev

## make run — install, migrate, load the Liaoning demo data, serve on http://127.0.0.1:$(PORT) for real:
## DEBUG off, granian (the production server), compressed static files, Chinese error pages
run: bootstrap
	@$(PY) manage.py migrate -v0
	@$(PY) manage.py seed_demo
	@DEBUG=0 $(PY) manage.py collectstatic --noinput -v0
	@scripts/run.sh $(PORT)

## make dev — the same data, served by Django's runserver with DEBUG on and auto-reload (developers only)
dev: bootstrap-dev
	@$(PY) manage.py migrate -v0
	@$(PY) manage.py seed_demo
	@scripts/run.sh $(PORT) dev

## make test — lint, migration check, the suite on SQLite, again on PostgreSQL + Redis, browser tests
test: bootstrap-dev lint
	@$(PY) manage.py check --fail-level WARNING
	@$(PY) manage.py makemigrations --check --dry-run -v1
	@scripts/test.sh

## make messages — refresh the English catalogues (root and per-app) after changing interface strings
messages: bootstrap-dev
	@scripts/messages.sh

lint: bootstrap-dev
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .
	@.venv/bin/lint-imports

format: bootstrap-dev
	@.venv/bin/ruff format .
	@.venv/bin/ruff check --fix .

seed: bootstrap
	@$(PY) manage.py migrate -v0
	@$(PY) manage.py seed_demo

## make prod — production profile on this machine: PostgreSQL + Redis, granian (2 × cores + 1 workers), 2 task workers (docs/deploy.md)
prod: bootstrap
	@scripts/prod.sh $(PORT)

## make bench — the full benchmark (quality.md A2: 3 repetitions, median); results in bench/results/ (docs/performance.md)
bench: bootstrap-dev
	@$(PY) -m bench.run

## make bench-smoke — the same cases with small N, 1 repetition, ≤ 90 s; timing figures only advise
bench-smoke: bootstrap-dev
	@$(PY) -m bench.run --smoke

## make backup — consistent backup of the configured database + manifest (SQLite online backup / pg_dump); OUT=path optional
backup:
	@$(PY) manage.py backup $(if $(OUT),--output "$(OUT)")

## make restore FILE=… — overwrite the configured database with a backup (asks for confirmation)
restore:
	@test -n "$(FILE)" || { echo "用法：make restore FILE=var/backups/wenming-….sqlite3|.dump" >&2; exit 2; }
	@$(PY) manage.py restore "$(FILE)"

## make restore-drill [FILE=…] — restore into an empty database and verify row counts and every hash chain
restore-drill:
	@$(PY) manage.py restore_drill $(if $(FILE),--backup "$(FILE)")
