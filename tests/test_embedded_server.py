"""The embedded PostgreSQL's start-time settings (dashboard/pg.py): a new server loads pg_stat_statements and
sizes its buffer cache to the machine, restarting itself once for both; a cache size an operator chose with
ALTER SYSTEM is kept."""

from __future__ import annotations

import psycopg

from dashboard import pg

SETTINGS = """select current_setting('shared_preload_libraries'),
                     (select setting::bigint * 8192 / (1024 * 1024) from pg_settings where name = 'shared_buffers')"""


def test_a_new_embedded_server_preloads_statistics_and_sizes_its_cache(tmp_path):
    pgdata = tmp_path / "pg"
    url = pg.start_embedded(pgdata, cleanup_mode="delete")
    with psycopg.connect(pg.libpq_url(url), autocommit=True) as conn:
        libraries, cache_mib = conn.execute(SETTINGS).fetchone()
        assert libraries == "pg_stat_statements"
        assert cache_mib == pg.shared_buffers_mib() and 128 <= cache_mib <= 1024
        conn.execute("alter system set shared_buffers = '200MB'")  # an operator's choice
    assert pg.restart_if_alone(pg.embedded_server(pgdata))
    url = pg.start_embedded(pgdata, cleanup_mode="delete")  # attaches: its settings are checked again
    with psycopg.connect(pg.libpq_url(url), autocommit=True) as conn:
        assert conn.execute(SETTINGS).fetchone() == ("pg_stat_statements", 200)
