"""Backup, restore and the restore drill, for both profiles (docs/deploy.md, 备份与恢复).

* SQLite (embedded): the online backup API copies a consistent snapshot while the application runs.
* PostgreSQL: ``pg_dump -Fc`` inside an exported REPEATABLE READ snapshot, so that the row counts in the
  manifest describe exactly what the dump holds; ``pg_restore`` restores it.

Every backup ``X`` comes with ``X.manifest.json``: vendor, time, SHA-256 of the file, the row count of
every table and the audit head. ``restore_drill`` restores a backup into a new, empty database and
checks it against the manifest and against every hash chain and seal the project keeps (the audit
chain and its triggers, the volunteer certificates' content hashes); any mismatch fails the drill.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.db.utils import load_backend
from django.utils import timezone

from .integrity import integrity_checks

DRILL_ALIAS = "restore_drill"


class BackupError(RuntimeError):
    """A backup, restore or drill step could not be carried out (message in Chinese)."""


# --- helpers ----------------------------------------------------------------------------------------
def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PGHOST=str(db.get("HOST") or "127.0.0.1"),
        PGPORT=str(db.get("PORT") or 5432),
        PGUSER=str(db.get("USER") or ""),
        PGDATABASE=str(db["NAME"]),
    )
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"找不到 {name}：请安装与服务器同版本的 PostgreSQL 客户端")
    return path


def _run(cmd: list[str], env: dict[str, str]) -> None:
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=3600)
    if r.returncode != 0:
        raise BackupError(f"{Path(cmd[0]).name} 失败：{(r.stderr or r.stdout).strip()[-500:]}")


def _pg_tables(cur: Any) -> list[str]:
    """Every table of the schema, partitions included (Django's introspection leaves partitions out, so the
    backup and the drill must list tables the same way or a partitioned table reads as lost)."""
    cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return [r[0] for r in cur.fetchall()]


def _count_tables(cur: Any, tables: list[str], quote: Any) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cur.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = int(cur.fetchone()[0])
    return counts


def _audit_head(cur: Any) -> dict[str, Any] | None:
    cur.execute("SELECT last_id, event_count, hash FROM audit_audithead WHERE id = 1")
    row = cur.fetchone()
    return {"last_id": int(row[0]), "count": int(row[1]), "hash": row[2]} if row else None


def default_dir() -> Path:
    return Path(getattr(settings, "WENMING_BACKUP_DIR", "") or Path(settings.BASE_DIR) / "var" / "backups")


# --- backup -----------------------------------------------------------------------------------------
def backup(output: Path | None = None, *, using: str = "default") -> Path:
    """Write a consistent backup of the database and its manifest; returns the backup's path."""
    conn = connections[using]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    if output is None:
        suffix = "sqlite3" if conn.vendor == "sqlite" else "dump"
        output = default_dir() / f"wenming-{stamp}.{suffix}"
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if conn.vendor == "sqlite":
        conn.ensure_connection()
        dst = sqlite3.connect(output)
        try:
            conn.connection.backup(dst)  # online backup API: a consistent copy while others write
            cur = dst.cursor()
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            tables = [r[0] for r in cur.fetchall()]
            counts = _count_tables(cur, tables, lambda t: f'"{t}"')
            head = _audit_head(cur)
        finally:
            dst.close()
    elif conn.vendor == "postgresql":
        counts, head = _pg_dump(conn, output)
    else:
        raise BackupError(f"不支持的数据库：{conn.vendor}")
    manifest = {
        "vendor": conn.vendor,
        "created_at": timezone.localtime().isoformat(timespec="seconds"),
        "file": output.name,
        "sha256": _sha256(output),
        "tables": counts,
        "audit_head": head,
    }
    manifest_path(output).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return output


def manifest_path(path: Path) -> Path:
    return Path(f"{path}.manifest.json")


def _pg_dump(conn: Any, output: Path) -> tuple[dict[str, int], dict[str, Any] | None]:
    """pg_dump inside the snapshot in which the rows were counted (manifest and dump agree)."""
    import psycopg

    db = conn.settings_dict
    env = _pg_env(db)
    with psycopg.connect(dbname=db["NAME"], autocommit=False, **_psycopg_kwargs(db)) as pg:
        with pg.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
            tables = _pg_tables(cur)
            counts = _count_tables(cur, tables, lambda t: f'"{t}"')
            head = _audit_head(cur)
            _run([_tool("pg_dump"), "-Fc", "--no-owner", f"--snapshot={snapshot}", "-f", str(output)], env)
        pg.rollback()
    return counts, head


def _psycopg_kwargs(db: dict[str, Any]) -> dict[str, Any]:
    kw: dict[str, Any] = {"host": db.get("HOST") or "127.0.0.1", "port": db.get("PORT") or 5432}
    if db.get("USER"):
        kw["user"] = db["USER"]
    if db.get("PASSWORD"):
        kw["password"] = db["PASSWORD"]
    return kw


# --- restore ----------------------------------------------------------------------------------------
def read_manifest(path: Path) -> dict[str, Any]:
    mpath = manifest_path(path)
    try:
        return json.loads(mpath.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"无法读取备份清单 {mpath.name}：{exc}") from exc


def restore(path: Path, *, db: dict[str, Any], vendor: str, clean: bool = False) -> None:
    """Restore ``path`` into the database described by ``db`` (a DATABASES entry)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"备份文件不存在：{path}")
    if vendor == "sqlite":
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        dst = sqlite3.connect(db["NAME"])
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
    elif vendor == "postgresql":
        if not clean:
            cmd = [_tool("pg_restore"), "--no-owner", "--exit-on-error", "-d", str(db["NAME"])]
            _run([*cmd, str(path)], _pg_env(db))
        else:
            _restore_replacing(path, db)
    else:
        raise BackupError(f"不支持的数据库：{vendor}")


def _restore_replacing(path: Path, db: dict[str, Any]) -> None:
    """Replace the schema's contents with the backup in ONE transaction: the old schema is dropped and the
    dump's script replayed by psql. (``pg_restore --clean`` cannot drop the constraints a partition
    inherits from its partitioned table, so a database with partitions could not be restored over.)"""
    env = _pg_env(db)
    script = subprocess.run(
        [_tool("pg_restore"), "--no-owner", "-f", "-", str(path)], env=env, capture_output=True, timeout=3600
    )
    if script.returncode != 0:
        raise BackupError(f"pg_restore 失败：{script.stderr.decode(errors='replace').strip()[-500:]}")
    prelude = b"DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n"
    r = subprocess.run(
        [_tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-d", str(db["NAME"])],
        input=prelude + script.stdout,
        env=env,
        capture_output=True,
        timeout=3600,
    )
    if r.returncode != 0:
        raise BackupError(f"psql 失败：{(r.stderr or r.stdout).decode(errors='replace').strip()[-500:]}")


def restore_into_default(path: Path) -> None:
    """``make restore``: replace the configured database's contents with the backup."""
    manifest = read_manifest(path)
    if manifest.get("vendor") != connection.vendor:
        raise BackupError(f"备份来自 {manifest.get('vendor')}，当前数据库是 {connection.vendor}")
    if manifest.get("sha256") != _sha256(Path(path)):
        raise BackupError("备份文件的 SHA-256 与清单不符：文件已损坏或被改动")
    db = dict(connection.settings_dict)
    connection.close()
    restore(Path(path), db=db, vendor=connection.vendor, clean=True)


# --- the drill --------------------------------------------------------------------------------------
@dataclass
class DrillReport:
    backup: Path
    tables: int = 0
    rows: int = 0
    checked: dict[str, int] = field(default_factory=dict)  # integrity check name → items checked
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@contextmanager
def _scratch_database() -> Iterator[dict[str, Any]]:
    """A new, empty database of the configured vendor, registered as ``DRILL_ALIAS``; removed afterwards."""
    base = dict(connections.databases["default"])
    if connection.vendor == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="wenming-drill-"))
        db = {**base, "NAME": str(folder / "drill.sqlite3"), "TEST": {}}
    else:
        name = f"wenming_drill_{os.getpid()}"
        db = {**base, "NAME": name, "CONN_MAX_AGE": 0, "TEST": {}}
        with connection.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cur.execute(f'CREATE DATABASE "{name}"')
    # A connection of its own, not an entry of settings.DATABASES: nothing else can route to it.
    wrapper = load_backend(db["ENGINE"]).DatabaseWrapper(db, DRILL_ALIAS)
    connections[DRILL_ALIAS] = wrapper
    try:
        yield db
    finally:
        wrapper.close()
        del connections[DRILL_ALIAS]
        if connection.vendor == "sqlite":
            shutil.rmtree(Path(db["NAME"]).parent, ignore_errors=True)
        else:
            with connection.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')


def drill(path: Path) -> DrillReport:
    """Restore ``path`` into an empty database and verify it; the report lists every mismatch."""
    path = Path(path)
    report = DrillReport(backup=path)
    manifest = read_manifest(path)
    if manifest.get("vendor") != connection.vendor:
        raise BackupError(f"备份来自 {manifest.get('vendor')}，当前数据库是 {connection.vendor}")
    if manifest.get("sha256") != _sha256(path):
        report.problems.append("备份文件的 SHA-256 与清单不符：文件已损坏或被改动")
    with _scratch_database() as db:
        restore(path, db=db, vendor=connection.vendor)
        drill_conn = connections[DRILL_ALIAS]
        with drill_conn.cursor() as cur:
            tables = _pg_tables(cur) if drill_conn.vendor == "postgresql" else drill_conn.introspection.table_names(cur)
            counts = _count_tables(cur, tables, drill_conn.ops.quote_name)
            head = _audit_head(cur) if "audit_audithead" in tables else None
        expected: dict[str, int] = manifest.get("tables", {})
        report.tables, report.rows = len(counts), sum(counts.values())
        for table in sorted(set(expected) | set(counts)):
            want, got = expected.get(table), counts.get(table)
            if want is None:
                report.problems.append(f"表 {table} 不在备份清单中")
            elif got is None:
                report.problems.append(f"表 {table} 未能恢复")
            elif want != got:
                report.problems.append(f"表 {table} 行数不符：清单 {want} 行，恢复后 {got} 行")
        if head != manifest.get("audit_head"):
            report.problems.append("审计锚点与备份清单不符")
        for check in integrity_checks().values():
            n, problems = check.run(DRILL_ALIAS)
            report.checked[check.name] = n
            report.problems += [f"{check.name}：{p}" for p in problems]
    return report
