"""Which database objects the models describe (used by env.py and by the parity test).

Tables that the database engine manages by itself, such as full-text search shadow tables,
are created by migrations with raw DDL and are not described by the models.
"""

# Names of tables (or prefixes) created by raw DDL in migrations and unknown to the models.
UNMANAGED_TABLE_PREFIXES: tuple[str, ...] = ()


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    if type_ == "table" and name is not None and name.startswith(UNMANAGED_TABLE_PREFIXES):
        return False
    return True
