"""Whole-database helpers: snapshot every table, or look for values anywhere in it.

Both walk db.metadata, so tables added later by any feature are covered without changes here.
"""
from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    db.session.expire_all()
    tables = {}
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        rows = db.session.execute(select(table).order_by(*order)).all()
        tables[table.name] = [tuple(row) for row in rows]
    return tables


def find_values(needles: list[str], user_ids: set[int] = frozenset()) -> list[str]:
    """Where any needle (case-insensitive) or a foreign key to one of `user_ids` survives: table.column."""
    db.session.expire_all()
    lowered = [n.lower() for n in needles if n]
    found = []
    for table in db.metadata.sorted_tables:
        user_columns = {
            column.name
            for column in table.columns
            for fk in column.foreign_keys
            if fk.column.table.name == "user"
        }
        if table.name == "user":
            user_columns.add("id")
        for row in db.session.execute(select(table)).mappings():
            for name, value in row.items():
                if name in user_columns and value in user_ids:
                    found.append(f"{table.name}.{name} = {value}")
                text = value if isinstance(value, str) else (repr(value) if isinstance(value, (dict, list)) else None)
                if text is None:
                    continue
                low = text.lower()
                for needle in lowered:
                    if needle in low:
                        found.append(f"{table.name}.{name} contains {needle!r}")
    return found
