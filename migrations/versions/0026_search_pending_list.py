"""search: a smaller pending list for the PostgreSQL full-text index

Revision ID: 0026_search_pending_list
Revises: 0025_messages
Create Date: 2026-11-27 23:40:00

New posts' words wait in the GIN index's pending list, which every search reads through, until
it outgrows gin_pending_list_limit (PostgreSQL's default is 4 MB) and one post merges it into the
index. At 512 kB searches read at most 64 pages of it and the merge stays short. SQLite: nothing.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0026_search_pending_list'
down_revision = '0025_messages'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER INDEX ix_search_document_search_vector SET (gin_pending_list_limit = 512)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER INDEX ix_search_document_search_vector RESET (gin_pending_list_limit)")
