"""privacy: erased post revisions, and which posts and messages use which image

Revision ID: 0028_privacy_revisions_uploads
Revises: 0027_search_topic_index
Create Date: 2026-12-07 06:00:00

post_revision.erased_at: an earlier version whose text its author (or staff) erased; a stub stays.
upload_link: which posts and messages show which image, so that serving an image and deleting it
with the last post or message that used it are one indexed read.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0028_privacy_revisions_uploads'
down_revision = '0027_search_topic_index'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('post_revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table('upload_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('upload_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('in_body', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['message.id'], name=op.f('fk_upload_link_message_id_message')),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_upload_link_post_id_post')),
    sa.ForeignKeyConstraint(['upload_id'], ['upload.id'], name=op.f('fk_upload_link_upload_id_upload')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_upload_link')),
    sa.UniqueConstraint('upload_id', 'message_id', name='uq_upload_link_upload_message'),
    sa.UniqueConstraint('upload_id', 'post_id', name='uq_upload_link_upload_post')
    )
    with op.batch_alter_table('upload_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_upload_link_message_id'), ['message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_upload_link_post_id'), ['post_id'], unique=False)


def downgrade():
    with op.batch_alter_table('upload_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_upload_link_post_id'))
        batch_op.drop_index(batch_op.f('ix_upload_link_message_id'))

    op.drop_table('upload_link')
    with op.batch_alter_table('post_revision', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
