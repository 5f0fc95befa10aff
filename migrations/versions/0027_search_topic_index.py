"""search: a PostgreSQL full-text index of opening posts alone, for searches of topics only

Revision ID: 0027_search_topic_index
Revises: 0026_search_pending_list
Create Date: 2026-11-28 00:05:00

A search of topics only read the whole index's list of matches (replies too, fourteen in fifteen
documents) before keeping the topics among them. This partial index holds the opening posts'
words alone. SQLite: nothing (FTS5 has no partial index; its search walks the matches anyway).
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0027_search_topic_index'
down_revision = '0026_search_pending_list'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX IF NOT EXISTS ix_search_document_topic_vector ON search_document "
            "USING GIN (search_vector) WITH (gin_pending_list_limit = 512) WHERE kind = 'topic'"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_search_document_topic_vector")
