"""Which database objects the models describe (used by env.py and by the parity test).

Tables that the database engine manages by itself, such as full-text search shadow tables,
are created by migrations with raw DDL and are not described by the models.
"""

# Names of tables (or prefixes) created by raw DDL in migrations and unknown to the models.
UNMANAGED_TABLE_PREFIXES: tuple[str, ...] = (
    "search_fts",  # Search: SQLite's FTS5 table and its shadow tables (search_fts_data, _idx, ...)
)

# Search: PostgreSQL's generated tsvector column and its GIN indexes (all documents, and the
# opening posts alone), beside search_document.
UNMANAGED_COLUMNS: set[tuple[str, str]] = {("search_document", "search_vector")}
UNMANAGED_INDEXES: set[str] = {"ix_search_document_search_vector", "ix_search_document_topic_vector"}


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    if type_ == "table" and name is not None and name.startswith(UNMANAGED_TABLE_PREFIXES):
        return False
    if type_ == "column" and (getattr(getattr(obj, "table", None), "name", None), name) in UNMANAGED_COLUMNS:
        return False
    if type_ == "index" and name in UNMANAGED_INDEXES:
        return False
    return True
