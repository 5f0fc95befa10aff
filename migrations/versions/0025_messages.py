"""messages: private conversations between members, and blocking

Revision ID: 0025_messages
Revises: 0024_uploads
Create Date: 2026-11-27 05:12:31.790585

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025_messages'
down_revision = '0024_uploads'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('conversation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=150), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_message_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('message_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_conversation_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation'))
    )
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_created_by_id'), ['created_by_id'], unique=False)

    op.create_table('member_block',
    sa.Column('blocker_id', sa.Integer(), nullable=False),
    sa.Column('blocked_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['blocked_id'], ['user.id'], name=op.f('fk_member_block_blocked_id_user')),
    sa.ForeignKeyConstraint(['blocker_id'], ['user.id'], name=op.f('fk_member_block_blocker_id_user')),
    sa.PrimaryKeyConstraint('blocker_id', 'blocked_id', name=op.f('pk_member_block'))
    )
    with op.batch_alter_table('member_block', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_block_blocked_id'), ['blocked_id'], unique=False)

    op.create_table('conversation_member',
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('left_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_message_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('unread_count', sa.Integer(), nullable=False),
    sa.Column('last_read_message_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_conversation_member_conversation_id_conversation')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_conversation_member_user_id_user')),
    sa.PrimaryKeyConstraint('conversation_id', 'user_id', name=op.f('pk_conversation_member'))
    )
    with op.batch_alter_table('conversation_member', schema=None) as batch_op:
        batch_op.create_index('ix_conversation_member_inbox', ['user_id', 'left_at', 'last_message_at', 'conversation_id'], unique=False)

    op.create_table('message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('published', 'held', 'hidden', 'deleted', name='contentstatus', native_enum=False, length=20), nullable=False),
    sa.Column('moderation_note', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_message_author_id_user')),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_message_conversation_id_conversation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message'))
    )
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_message_conversation', ['conversation_id', 'id'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unread_conversations', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('blocking_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('blocked_by_count', sa.Integer(), server_default='0', nullable=False))



def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('blocked_by_count')
        batch_op.drop_column('blocking_count')
        batch_op.drop_column('unread_conversations')

    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index('ix_message_conversation')
        batch_op.drop_index(batch_op.f('ix_message_author_id'))

    op.drop_table('message')
    with op.batch_alter_table('conversation_member', schema=None) as batch_op:
        batch_op.drop_index('ix_conversation_member_inbox')

    op.drop_table('conversation_member')
    with op.batch_alter_table('member_block', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_block_blocked_id'))

    op.drop_table('member_block')
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_created_by_id'))

    op.drop_table('conversation')
