"""The results database of `ncv regress` (regressions.md "Results"): one SQLite file, by
default out/regress/results.db, shared by any number of runs (and runners) of any lists.

Tables (schema version SCHEMA_VERSION, kept in `meta`):
  runs     one row per regression run: list, out dir, times, git commit and dirty flag,
           tool versions, host, backend, seed options, command line, state, exit status
  plan     the run's planned jobs (test, list entry, build, config, seed, args, timeout,
           run dir); written with the run, so a resumed run reruns exactly these jobs
  results  one row per job, written in its own transaction when the job ends
           (PRIMARY KEY (run_id, idx): a job never has two results)
  reruns   failing jobs rerun with waves and debug verbosity, and whether they failed the
           same way
The file is in WAL mode with a busy timeout and every write is one short IMMEDIATE
transaction, so several runners may share one file.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from .errors import UsageError

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 60000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  list_name TEXT NOT NULL, list_path TEXT NOT NULL, out_dir TEXT NOT NULL,
  started_at REAL NOT NULL, ended_at REAL, elapsed_s REAL NOT NULL DEFAULT 0,
  git_commit TEXT, git_dirty INTEGER, tools TEXT NOT NULL DEFAULT '{}',
  host TEXT, backend TEXT, jobs_n INTEGER, seed_options TEXT NOT NULL DEFAULT '{}',
  command_line TEXT, planned INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL DEFAULT 'running', exit_status INTEGER, attempts INTEGER NOT NULL DEFAULT 1,
  runner TEXT
);
CREATE INDEX IF NOT EXISTS runs_list ON runs(list_name, id);
CREATE TABLE IF NOT EXISTS plan (
  run_id INTEGER NOT NULL REFERENCES runs(id), idx INTEGER NOT NULL,
  test TEXT NOT NULL, entry INTEGER NOT NULL, build TEXT NOT NULL, target TEXT NOT NULL,
  config TEXT NOT NULL, seed INTEGER NOT NULL, args TEXT NOT NULL, tags TEXT NOT NULL,
  timeout_s REAL NOT NULL, run_dir TEXT NOT NULL,
  PRIMARY KEY (run_id, idx)
);
CREATE TABLE IF NOT EXISTS results (
  run_id INTEGER NOT NULL REFERENCES runs(id), idx INTEGER NOT NULL,
  test TEXT NOT NULL, config TEXT NOT NULL, build TEXT NOT NULL, seed INTEGER NOT NULL,
  args TEXT NOT NULL, status TEXT NOT NULL, signature TEXT NOT NULL, signature_norm TEXT NOT NULL,
  detail TEXT NOT NULL, rc INTEGER, wall_s REAL NOT NULL, cycles INTEGER NOT NULL, host TEXT,
  run_dir TEXT NOT NULL, result_json TEXT, sim_log TEXT, waves TEXT, coverage TEXT,
  ended_at REAL NOT NULL,
  PRIMARY KEY (run_id, idx)
);
CREATE TABLE IF NOT EXISTS reruns (
  run_id INTEGER NOT NULL REFERENCES runs(id), idx INTEGER NOT NULL,
  args TEXT NOT NULL, status TEXT NOT NULL, signature TEXT NOT NULL, signature_norm TEXT NOT NULL,
  same INTEGER NOT NULL, detail TEXT NOT NULL, rc INTEGER, wall_s REAL NOT NULL, cycles INTEGER NOT NULL,
  run_dir TEXT NOT NULL, sim_log TEXT, waves TEXT, ended_at REAL NOT NULL,
  PRIMARY KEY (run_id, idx)
);
"""

RESULT_COLS = ("run_id", "idx", "test", "config", "build", "seed", "args", "status", "signature",
               "signature_norm", "detail", "rc", "wall_s", "cycles", "host", "run_dir", "result_json",
               "sim_log", "waves", "coverage", "ended_at")
RERUN_COLS = ("run_id", "idx", "args", "status", "signature", "signature_norm", "same", "detail", "rc",
              "wall_s", "cycles", "run_dir", "sim_log", "waves", "ended_at")
PLAN_COLS = ("run_id", "idx", "test", "entry", "build", "target", "config", "seed", "args", "tags",
             "timeout_s", "run_dir")


class ResultsDb:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.con = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                       check_same_thread=False)
            self.con.row_factory = sqlite3.Row
            self.con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            self.con.execute("PRAGMA journal_mode=WAL")
            self.con.execute("PRAGMA synchronous=NORMAL")
            self._init_schema()
        except sqlite3.DatabaseError as e:
            raise UsageError(f"not a usable ncv results database ({e})", self.path) from None
        except OSError as e:
            raise UsageError(f"cannot open results database: {e.strerror}", self.path) from None

    def _init_schema(self) -> None:
        with self.tx() as c:
            # (executescript would commit on its own: statement by statement, inside this transaction)
            for stmt in _SCHEMA.split(";"):
                if stmt.strip():
                    c.execute(stmt)
            row = c.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if row is None:
                c.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            elif row[0] != str(SCHEMA_VERSION):
                raise UsageError(f"results database schema version {row[0]}, this ncv reads version "
                                 f"{SCHEMA_VERSION} (use another --db)", self.path)

    class _Tx:
        def __init__(self, db: "ResultsDb"):
            self.db = db

        def __enter__(self):
            self.db._lock.acquire()
            try:
                self.db.con.execute("BEGIN IMMEDIATE")
            except BaseException:
                self.db._lock.release()
                raise
            return self

        def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
            return self.db.con.execute(sql, params)

        def __exit__(self, et, ev, tb):
            try:
                self.db.con.execute("COMMIT" if et is None else "ROLLBACK")
            finally:
                self.db._lock.release()
            return False

    def tx(self) -> "_Tx":
        """One IMMEDIATE transaction (the write lock is taken at BEGIN, so no deadlock between runners)."""
        return ResultsDb._Tx(self)

    def close(self) -> None:
        self.con.close()

    # --- writes -------------------------------------------------------------------------------
    def start_run(self, run: dict, plan: list[dict]) -> int:
        with self.tx() as c:
            cols = list(run)
            cur = c.execute(f"INSERT INTO runs ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                            [_enc(run[k]) for k in cols])
            run_id = int(cur.lastrowid)
            for p in plan:
                row = dict(p, run_id=run_id)
                c.execute(f"INSERT INTO plan ({', '.join(PLAN_COLS)}) VALUES ({', '.join('?' * len(PLAN_COLS))})",
                          [_enc(row[k]) for k in PLAN_COLS])
        return run_id

    def add_result(self, row: dict) -> None:
        """Records one job's result in its own transaction; a second result for a job is an error."""
        row = dict(row, ended_at=row.get("ended_at") or time.time())
        with self.tx() as c:
            c.execute(f"INSERT INTO results ({', '.join(RESULT_COLS)}) VALUES ({', '.join('?' * len(RESULT_COLS))})",
                      [_enc(row.get(k)) for k in RESULT_COLS])

    def add_rerun(self, row: dict) -> None:
        row = dict(row, ended_at=row.get("ended_at") or time.time())
        with self.tx() as c:
            c.execute(f"INSERT OR REPLACE INTO reruns ({', '.join(RERUN_COLS)}) "
                      f"VALUES ({', '.join('?' * len(RERUN_COLS))})", [_enc(row.get(k)) for k in RERUN_COLS])

    def update_run(self, run_id: int, **fields) -> None:
        with self.tx() as c:
            sets = ", ".join(f"{k} = ?" for k in fields)
            c.execute(f"UPDATE runs SET {sets} WHERE id = ?", [_enc(v) for v in fields.values()] + [run_id])

    def begin_attempt(self, run_id: int, command_line: str, runner: str) -> None:
        with self.tx() as c:
            c.execute("UPDATE runs SET attempts = attempts + 1, state = 'running', command_line = ?, runner = ? "
                      "WHERE id = ?", (command_line, runner, run_id))

    # --- reads --------------------------------------------------------------------------------
    def resolve(self, which: str | int | None, list_name: str | None = None) -> int:
        """A run id from 'latest' (of list_name when given) or a number; UsageError when absent."""
        if which in (None, "latest"):
            q, a = "SELECT max(id) FROM runs", ()
            if list_name is not None:
                q, a = q + " WHERE list_name = ?", (list_name,)
            rid = self.con.execute(q, a).fetchone()[0]
            if rid is None:
                raise UsageError("no runs" + (f" of list '{list_name}'" if list_name else "") + " in the database",
                                 self.path)
            return int(rid)
        try:
            rid = int(which)
        except (TypeError, ValueError):
            raise UsageError(f"expected a run id (a number) or 'latest', got {which!r}", "command line") from None
        if self.con.execute("SELECT 1 FROM runs WHERE id = ?", (rid,)).fetchone() is None:
            raise UsageError(f"no run {rid} in the database", self.path)
        return rid

    def run(self, run_id: int) -> dict:
        row = self.con.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise UsageError(f"no run {run_id} in the database", self.path)
        d = dict(row)
        d["tools"] = json.loads(d["tools"] or "{}")
        d["seed_options"] = json.loads(d["seed_options"] or "{}")
        return d

    def plan(self, run_id: int) -> list[dict]:
        return [_dec(r) for r in self.con.execute("SELECT * FROM plan WHERE run_id = ? ORDER BY idx", (run_id,))]

    def results(self, run_id: int) -> list[dict]:
        return [_dec(r) for r in self.con.execute("SELECT * FROM results WHERE run_id = ? ORDER BY idx", (run_id,))]

    def reruns(self, run_id: int) -> list[dict]:
        return [_dec(r) for r in self.con.execute("SELECT * FROM reruns WHERE run_id = ? ORDER BY idx", (run_id,))]

    def history(self, list_name: str, upto: int, limit: int = 30) -> list[dict]:
        """The last `limit` runs of a list up to run `upto`, oldest first, with their counts."""
        rows = self.con.execute(
            "SELECT r.id, r.started_at, r.elapsed_s, r.planned, r.state, r.git_commit, "
            "  count(x.idx) AS done, sum(x.status = 'PASS') AS pass, sum(x.status = 'FAIL') AS fail, "
            "  sum(x.wall_s) AS job_wall, sum(x.cycles) AS cycles "
            "FROM runs r LEFT JOIN results x ON x.run_id = r.id "
            "WHERE r.list_name = ? AND r.id <= ? GROUP BY r.id ORDER BY r.id DESC LIMIT ?",
            (list_name, upto, limit)).fetchall()
        return [dict(r) for r in reversed(rows)]


def _enc(v: Any) -> Any:
    if isinstance(v, (list, dict, tuple)):
        return json.dumps(v)
    if isinstance(v, Path):
        return str(v)
    if isinstance(v, bool):
        return int(v)
    return v


def _dec(row: sqlite3.Row) -> dict:
    d = dict(row)
    for k in ("args", "tags"):
        if k in d and isinstance(d[k], str):
            d[k] = json.loads(d[k])
    return d
