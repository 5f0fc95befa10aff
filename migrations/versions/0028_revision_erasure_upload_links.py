"""privacy: erased post revisions, and which posts and messages use which image

Revision ID: 0028_revision_erasure_upload_links
Revises: 0027_search_topic_index
Create Date: 2026-12-07 06:00:00

post_revision.erased_at: an earlier version whose text its author (or staff) erased; a stub stays.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0028_revision_erasure_upload_links'
down_revision = '0027_search_topic_index'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('post_revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('post_revision', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
