"""Loading the generated demo data: one transaction of COPY statements.

Why it is built this way:

* **One transaction**, so a failed load leaves the database as it was.
* **Triggers off** (``session_replication_role = replica``, superuser only):
  the audit trigger would write one audit row per demo row, and the stage,
  status and hierarchy triggers would rewrite what the generator already wrote
  consistently. The same setting disables foreign-key checks, which is why the
  generator keeps every reference valid itself (``bench/load_large.py`` and the
  tests check it afterwards).
* **TRUNCATE, then COPY FREEZE**: the tables are truncated in the same
  transaction (a no-op when they were empty), which lets COPY write the rows
  already frozen and all-visible, so the first queries after the load do not
  pay for hint bits or a vacuum.
* **Indexes built once**: the indexes that back no constraint are dropped
  before the COPY and recreated from their saved definitions after it, still
  inside the transaction (about a third faster at the large scale).
* **Two threads**: the generator (pure Python) runs in a worker thread and
  hands finished chunks of COPY text through a bounded queue; the main thread
  streams them to the server. While the server parses and indexes one chunk,
  Python builds the next, so the two cores work at once and memory stays flat.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import sys
import threading
import time

import psycopg
from psycopg import sql

from dashboard.demo.generate import SCALES, TABLES, DemoGenerator, password_hash

log = logging.getLogger(__name__)

CHUNK_ROWS = 20_000
QUEUE_CHUNKS = 12
# business tables emptied by replace=True (deal_stages is kept: the stages the migration made); quotas and
# forecast snapshots go with the users (truncate ... cascade)
TRUNCATED = (*TABLES, "audit_log", "login_attempts")
# the forecast (services/forecast.py): open deals in a late stage forecast as commit (default probability
# >= 80 %) or best case (>= 50 %), the rest pipeline; each rep's quota for the months of this quarter and the
# next, their mean monthly closed won of the last six months + 10 % (in thousands)
DEMO_FORECAST = (
    """update crm.deals d set forecast_category = case when s.default_probability >= 80 then 'commit'
                                                   else 'best_case' end
       from crm.deal_stages s where s.id = d.stage_id and d.status = 'active' and s.default_probability >= 50""",
    """insert into crm.quotas (user_id, month, amount)
       select u.id, m::date, greatest(round(coalesce(w.won, 0) / 6 * 1.1 / 1000) * 1000, 1000)
       from crm.users u
       cross join generate_series(date_trunc('quarter', %(as_of)s::date),
                                  date_trunc('quarter', %(as_of)s::date) + interval '5 months', interval '1 month') m
       left join (select owner_id, sum(value) as won from crm.deals
                  where status = 'won' and closed_at >= %(as_of)s::date - interval '6 months'
                  group by owner_id) w on w.owner_id = u.id
       where u.role = 'rep' and u.is_active""",
)


class DemoDataExists(Exception):
    """The database already holds business data and ``replace`` was not asked for."""

    def __init__(self) -> None:
        super().__init__("the database already has data; use --replace to reload demo data")


class _Aborted(Exception):
    """The loader stopped; the generator thread should stop too."""


class _Pipeline:
    """A bounded queue from the generator thread to the loading thread."""

    def __init__(self) -> None:
        self.queue: queue.Queue = queue.Queue(maxsize=QUEUE_CHUNKS)
        self.abort = threading.Event()

    def put(self, item: tuple) -> None:
        while True:
            if self.abort.is_set():
                raise _Aborted
            try:
                self.queue.put(item, timeout=0.2)
                return
            except queue.Full:
                continue


class _ChunkSink:
    """Collects one table's rows as COPY text lines and passes them on in chunks."""

    __slots__ = ("table", "width", "pipeline", "lines", "flushed")

    def __init__(self, table: str, pipeline: _Pipeline):
        self.table = table
        self.width = len(TABLES[table])
        self.pipeline = pipeline
        self.lines: list[str] = []
        self.flushed = 0

    @property
    def rows(self) -> int:
        """Rows added so far (flushed or not)."""
        return self.flushed + len(self.lines)

    def add(self, row: tuple[str, ...]) -> None:
        lines = self.lines
        if not lines:
            self._check(row)
        lines.append("\t".join(row))
        if len(lines) >= CHUNK_ROWS:
            self.flush()

    def _check(self, row: tuple) -> None:
        """Catch a column-order slip early: the first row of every chunk has the right shape."""
        if len(row) != self.width or not all(isinstance(v, str) for v in row):
            raise AssertionError(f"bad {self.table} row for columns {TABLES[self.table]}: {row!r}")

    def flush(self) -> None:
        if self.lines:
            n = len(self.lines)
            self.pipeline.put(("rows", self.table, "\n".join(self.lines) + "\n", n))
            self.flushed += n
            self.lines = []

    def close(self) -> None:
        self.flush()
        self.pipeline.put(("done", self.table))


def load_demo(conninfo: str, scale: str = "small", seed: int = 42, as_of: dt.date | None = None,
              replace: bool = False, progress: bool = True) -> dict[str, int]:
    """Generate and COPY demo data; returns row counts per table.

    ``conninfo`` is a libpq URL of a superuser connection to a migrated database.
    The same ``seed`` and ``as_of`` (default: today) give identical tables.
    Raises :class:`DemoDataExists` if business tables hold rows and ``replace``
    is false; with ``replace`` they are emptied first (deal stages are kept).
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r} (expected one of: {', '.join(SCALES)})")
    as_of = as_of or dt.date.today()
    with psycopg.connect(conninfo, autocommit=False) as conn:
        conn.execute("set local session_replication_role = replica")
        conn.execute("set local statement_timeout = 0")
        conn.execute("set local lock_timeout = '30s'")
        conn.execute("set local synchronous_commit = off")
        if not replace and any(_has_rows(conn, t) for t in TABLES):
            raise DemoDataExists()
        # when not replacing, the loaded tables are empty and truncating them only enables FREEZE
        emptied = [t for t in TRUNCATED if _exists(conn, t)] if replace else list(TABLES)
        conn.execute(sql.SQL("truncate {} restart identity cascade").format(
            sql.SQL(", ").join(sql.Identifier("crm", t) for t in emptied)))
        stages = conn.execute(
            "select id::text, name, is_won, is_lost from crm.deal_stages order by position").fetchall()
        indexes = _drop_secondary_indexes(conn)
        counts = _stream(conn, DemoGenerator, SCALES[scale], seed, as_of, stages, progress)
        _rebuild_indexes(conn, indexes, progress)
        # the triggers that keep the daily, deal and task totals were off
        conn.execute("select app.rebuild_activity_daily_totals()")
        conn.execute("select app.rebuild_deal_and_task_totals()")
        categories, quotas = DEMO_FORECAST
        conn.execute(categories)
        conn.execute(quotas, {"as_of": as_of})
        conn.commit()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for table in TABLES:
            conn.execute(sql.SQL("analyze {}").format(sql.Identifier("crm", table)))
        # the totals were inserted, not frozen by COPY: vacuum sets their visibility map for index-only scans
        for table in ("activity_daily_totals", "activity_daily_companies", "deal_totals", "task_totals"):
            conn.execute(sql.SQL("vacuum (analyze) {}").format(sql.Identifier("crm", table)))
    return counts


def _drop_secondary_indexes(conn: psycopg.Connection) -> list[tuple[str, str, str, str | None]]:
    """Drop the loaded tables' indexes that back no constraint; return what rebuilds them.

    Building an index once over loaded rows is much faster than updating it
    row by row (the large load's random UUID keys and GIN trigram indexes
    especially). Primary keys and unique constraints stay, so duplicates still
    fail at once; a dropped unique index fails at its rebuild instead. Inside
    the load's transaction: a failed load rolls the drop back with the rows.
    """
    conn.execute("set local search_path = pg_catalog")  # so index definitions come out fully qualified
    conn.execute("set local maintenance_work_mem = '256MB'")
    rows = conn.execute("""
        select n.nspname, c.relname, pg_get_indexdef(i.indexrelid), obj_description(i.indexrelid, 'pg_class')
        from pg_index i
        join pg_class c on c.oid = i.indexrelid
        join pg_class t on t.oid = i.indrelid
        join pg_namespace n on n.oid = t.relnamespace
        where n.nspname = 'crm' and t.relname = any(%s)
          and not i.indisprimary and not i.indisreplident and not i.indisclustered
          and not exists (select from pg_constraint k where k.conindid = i.indexrelid)
        order by t.relname, c.relname""", (list(TABLES),)).fetchall()
    for schema, name, _, _ in rows:
        conn.execute(sql.SQL("drop index {}").format(sql.Identifier(schema, name)))
    return rows


def _rebuild_indexes(conn: psycopg.Connection, indexes: list[tuple[str, str, str, str | None]],
                     progress: bool) -> None:
    """Recreate the dropped indexes from their saved definitions (and comments)."""
    from tqdm import tqdm

    for schema, name, definition, comment in tqdm(indexes, desc=f"{'indexes':<21}", unit=" indexes",
                                                  file=sys.stderr, disable=not progress, dynamic_ncols=True):
        conn.execute(definition)
        if comment is not None:
            conn.execute(sql.SQL("comment on index {} is {}").format(sql.Identifier(schema, name),
                                                                     sql.Literal(comment)))


def _exists(conn: psycopg.Connection, table: str) -> bool:
    return conn.execute("select to_regclass(%s) is not null", (f"crm.{table}",)).fetchone()[0]


def _has_rows(conn: psycopg.Connection, table: str) -> bool:
    return conn.execute(sql.SQL("select exists (select from {})").format(sql.Identifier("crm", table))).fetchone()[0]


def _stream(conn: psycopg.Connection, generator_class, scale, seed: int, as_of: dt.date, stages, progress: bool
            ) -> dict[str, int]:
    """Run the generator in a thread and COPY each chunk it produces; returns the generator's counts."""
    pipeline = _Pipeline()
    # stored as the database stores every password: its verifier (COPY runs with triggers off)
    hashed = conn.execute("select app.password_verifier(%s)", (password_hash(seed),)).fetchone()[0]
    generator = generator_class(scale, seed, as_of, stages, hashed, lambda table: _ChunkSink(table, pipeline))
    bars = _ProgressBars(progress)
    started = time.monotonic()
    worker = threading.Thread(target=_produce, args=(generator, pipeline), name="demo-data-generator", daemon=True)
    worker.start()
    try:
        counts, loaded, copy_seconds = _copy_chunks(conn, pipeline, bars)
    finally:
        pipeline.abort.set()
        worker.join(timeout=10)
        bars.close()
    if counts != loaded:  # pragma: no cover - a bug in the sinks
        raise RuntimeError(f"generated {counts} but loaded {loaded}")
    log.info("seconds spent in COPY per table: %s",
             ", ".join(f"{t} {s:.1f}" for t, s in sorted(copy_seconds.items(), key=lambda x: -x[1]) if s >= 0.05))
    if progress:
        total = sum(counts.values())
        print(f"loaded {total:,} rows in {time.monotonic() - started:.1f}s", file=sys.stderr)
    return counts


def _produce(generator, pipeline: _Pipeline) -> None:
    """The generator thread: run the generator, then hand its counts (or its failure) to the loader."""
    try:
        pipeline.put(("end", generator.run()))
    except _Aborted:
        pass
    except BaseException as exc:  # handed to the main thread, which re-raises it
        try:
            pipeline.put(("error", exc))
        except _Aborted:
            pass


def _copy_chunks(conn: psycopg.Connection, pipeline: _Pipeline, bars: _ProgressBars
                 ) -> tuple[dict[str, int], dict[str, int], dict[str, float]]:
    """COPY the chunks from ``pipeline`` until the generator ends; returns its counts, the rows loaded
    and the seconds spent in COPY per table."""
    copy_sql = {
        table: sql.SQL("copy {} ({}) from stdin with (freeze)").format(
            sql.Identifier("crm", table), sql.SQL(", ").join(map(sql.Identifier, columns)))
        for table, columns in TABLES.items()
    }
    loaded = dict.fromkeys(TABLES, 0)
    copy_seconds = dict.fromkeys(TABLES, 0.0)
    with conn.cursor() as cur:
        while True:
            item = pipeline.queue.get()
            kind = item[0]
            if kind == "rows":
                _, table, data, n = item
                t0 = time.monotonic()
                with cur.copy(copy_sql[table]) as copy:
                    copy.write(data)
                copy_seconds[table] += time.monotonic() - t0
                loaded[table] += n
                bars.update(table, n)
            elif kind == "done":
                bars.done(item[1])
            elif kind == "error":
                raise item[1]
            else:
                return item[1], loaded, copy_seconds


class _ProgressBars:
    """One tqdm bar per table while it loads (none when ``progress`` is off)."""

    def __init__(self, progress: bool):
        self.progress = progress
        self.bars: dict = {}

    def update(self, table: str, n: int) -> None:
        if not self.progress:
            return
        if table not in self.bars:
            from tqdm import tqdm

            self.bars[table] = tqdm(desc=f"{table:<21}", unit=" rows", unit_scale=True, file=sys.stderr,
                                    leave=True, dynamic_ncols=True)
        self.bars[table].update(n)

    def done(self, table: str) -> None:
        if self.progress and table in self.bars:
            self.bars.pop(table).close()

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()
