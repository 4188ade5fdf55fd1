"""The sandbox's SQLite store: one connection guarded by a lock, the schema, and small query helpers.

Handlers run in a thread pool, so every use of the connection goes through the re-entrant lock; a
`transaction()` holds it from BEGIN to COMMIT so that read-check-write sequences are atomic.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

TABLES = """
CREATE TABLE IF NOT EXISTS orgs (org_id TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS shops (
    shop_id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs, name TEXT NOT NULL,
    is_active INTEGER NOT NULL DEFAULT 1);
-- the global PharmaOne catalogue that add-to-inventory draws from
CREATE TABLE IF NOT EXISTS catalog (
    p1_id INTEGER PRIMARY KEY, name TEXT NOT NULL, slug TEXT NOT NULL, category TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '', thc REAL, cbd REAL, price REAL NOT NULL);
-- the org inventory: one row per product an org holds
CREATE TABLE IF NOT EXISTS products (
    org_id TEXT NOT NULL REFERENCES orgs, p1_id INTEGER NOT NULL REFERENCES catalog,
    name TEXT NOT NULL, slug TEXT NOT NULL, category TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
    thc REAL, cbd REAL, price REAL NOT NULL, stock_quantity INTEGER NOT NULL CHECK (stock_quantity >= 0),
    incoming_quantity INTEGER NOT NULL DEFAULT 0 CHECK (incoming_quantity >= 0),
    available INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (org_id, p1_id));
CREATE TABLE IF NOT EXISTS shop_products (
    shop_id TEXT NOT NULL REFERENCES shops, p1_id INTEGER NOT NULL, price_override REAL,
    name_override TEXT, available INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (shop_id, p1_id));
CREATE TABLE IF NOT EXISTS orders (
    id TEXT PRIMARY KEY, org_id TEXT NOT NULL, shop_id TEXT NOT NULL, external_id TEXT, order_number TEXT,
    customer_name TEXT NOT NULL, customer_email TEXT NOT NULL, status TEXT NOT NULL,
    payment_status TEXT NOT NULL, payment_reference TEXT, shipped INTEGER NOT NULL DEFAULT 0,
    picked_up INTEGER NOT NULL DEFAULT 0, cash_on_pickup INTEGER NOT NULL DEFAULT 0, shipping_option TEXT,
    street TEXT, city TEXT, postal_code TEXT, phone TEXT, total_amount REAL NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS order_items (
    order_id TEXT NOT NULL REFERENCES orders, line INTEGER NOT NULL, p1_id TEXT, name TEXT NOT NULL,
    quantity INTEGER NOT NULL, price REAL NOT NULL, PRIMARY KEY (order_id, line));
CREATE TABLE IF NOT EXISTS order_requests (
    id TEXT PRIMARY KEY, org_id TEXT NOT NULL, api TEXT NOT NULL, shop_id TEXT NOT NULL,
    external_reference TEXT, source TEXT, status TEXT NOT NULL, payload TEXT NOT NULL,
    created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS prescriptions (
    id TEXT PRIMARY KEY, org_id TEXT NOT NULL, shop_id TEXT NOT NULL, status TEXT NOT NULL,
    order_id TEXT NOT NULL DEFAULT '', customer_email TEXT NOT NULL DEFAULT '', ingest_key TEXT,
    fields TEXT NOT NULL DEFAULT '{}', created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS inventory_log (
    id TEXT PRIMARY KEY, org_id TEXT NOT NULL, p1_id INTEGER NOT NULL, shop_id TEXT,
    delta_on_hand INTEGER NOT NULL, delta_incoming INTEGER NOT NULL, reason TEXT NOT NULL,
    metadata TEXT NOT NULL DEFAULT '{}', stock_after INTEGER NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    delivery_id TEXT PRIMARY KEY, event_id TEXT NOT NULL, org_id TEXT NOT NULL, event_type TEXT NOT NULL,
    url TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    last_status_code INTEGER, last_error TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
"""

# Built after seeding: filling indexed tables row by row is several times slower.
INDEXES = """
CREATE INDEX IF NOT EXISTS orders_by_org ON orders (org_id, created_at DESC, id);
CREATE INDEX IF NOT EXISTS orders_by_status ON orders (org_id, status, created_at DESC, id);
CREATE INDEX IF NOT EXISTS orders_by_shop ON orders (org_id, shop_id, created_at DESC, id);
-- covering indexes for the reports' aggregates (no table lookups on 100,000 orders)
CREATE INDEX IF NOT EXISTS orders_for_reports ON orders (org_id, shop_id, status, created_at, total_amount);
CREATE INDEX IF NOT EXISTS orders_by_day_for_reports ON orders (org_id, created_at, status, total_amount, id);
CREATE INDEX IF NOT EXISTS order_items_for_reports ON order_items (order_id, p1_id, name, quantity, price);
CREATE UNIQUE INDEX IF NOT EXISTS orders_upsert_key ON orders (shop_id, external_id)
    WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS order_requests_reference ON order_requests (org_id, external_reference)
    WHERE external_reference IS NOT NULL;
CREATE INDEX IF NOT EXISTS prescriptions_by_org ON prescriptions (org_id, created_at DESC, id);
CREATE UNIQUE INDEX IF NOT EXISTS prescriptions_ingest_key ON prescriptions (org_id, shop_id, ingest_key)
    WHERE ingest_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS inventory_log_by_product ON inventory_log (org_id, p1_id, created_at DESC);
"""


class Database:
    """One SQLite connection (in memory unless `path` is given) shared by every request thread."""

    def __init__(self, path: str | None = None) -> None:
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(path or ":memory:", check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        # A number's JSON text as Python's json writes it (SQLite's own json prints 15 significant digits).
        self._conn.create_function("json_number", 1, repr, deterministic=True)
        if path:
            self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(TABLES)
        self._remembered_answers: dict[tuple[str, str, tuple[Any, ...]], Any] = {}  # see _remembered()

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """Holds the lock and one write transaction; rolls back if the block raises."""
        with self._lock:
            if self._conn.in_transaction:  # nested: the outer block owns commit and rollback
                yield self
                return
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                self._conn.execute("ROLLBACK")
                self._remembered_answers.clear()
                raise
            self._conn.execute("COMMIT")

    def query(self, sql: str, *params: Any) -> list[dict[str, Any]]:
        with self._lock:
            changes = self._conn.total_changes
            rows = [dict(row) for row in self._conn.execute(sql, params)]
            if self._conn.total_changes != changes:  # a write through query() (tests may): forget
                self._remembered_answers.clear()
            return rows

    def column(self, sql: str, *params: Any) -> list[Any]:
        """The first column of each row, without building a dict per row (e.g. JSON that SQLite rendered)."""
        with self._lock:
            cursor = self._conn.cursor()
            cursor.row_factory = None
            return [row[0] for row in cursor.execute(sql, params)]

    def one(self, sql: str, *params: Any) -> dict[str, Any] | None:
        with self._lock:
            row = self._conn.execute(sql, params).fetchone()
        return dict(row) if row is not None else None

    def scalar(self, sql: str, *params: Any) -> Any:
        with self._lock:
            row = self._conn.execute(sql, params).fetchone()
        return row[0] if row is not None else None

    def remembered_column(self, sql: str, *params: Any) -> list[Any]:
        """`column` for a query a list route repeats for every page: remembered until the next write.

        (GET /orders keeps the order of its rowids: skipping OFFSET rows in the index for each of 100 pages,
        and counting them, was a third of a page's cost.)
        """
        return self._remembered(self.column, sql, params)

    def _remembered(self, fetch: Callable[..., Any], sql: str, params: tuple[Any, ...]) -> Any:
        key = (fetch.__name__, sql, params)
        with self._lock:
            if key not in self._remembered_answers:
                self._remembered_answers[key] = fetch(sql, *params)
            return self._remembered_answers[key]

    def execute(self, sql: str, *params: Any) -> int:
        """Runs one statement; returns the number of rows it changed."""
        with self._lock:
            self._remembered_answers.clear()
            return self._conn.execute(sql, params).rowcount

    def insert(self, table: str, row: Mapping[str, Any]) -> None:
        self.insert_many(table, [row])

    def insert_many(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Inserts rows given as {column: value} (all with the columns of the first) in one executemany."""
        if not rows:
            return
        columns = list(rows[0])
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"
        with self._lock:
            self._remembered_answers.clear()
            self._conn.executemany(sql, rows)

    def create_indexes(self) -> None:
        with self._lock:
            self._conn.executescript(INDEXES)

    def is_empty(self) -> bool:
        return self.scalar("SELECT COUNT(*) FROM orgs") == 0

    def close(self) -> None:
        with self._lock:
            self._conn.close()
