"""Members keep their posts outside the cell: free-text posts and committee seats.

The free-text posts already travelled in MemberEnrolled; they are copied from the log.
Committee seats are new, so members enrolled before this revision hold none.

Revision ID: 0002
Revises: 0001
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.add_column("members", sa.Column("posts_outside_cell", sa.Text, nullable=False, server_default="[]"))
    op.add_column("members", sa.Column("committee_posts", sa.Text, nullable=False, server_default="[]"))
    bind = op.get_bind()
    enrolled = bind.execute(
        sa.text("SELECT payload FROM event_log WHERE event_type = 'MemberEnrolled'")
    ).all()
    set_posts = sa.text("UPDATE members SET posts_outside_cell = :posts WHERE member_id = :member_id")
    for (payload,) in enrolled:
        data = json.loads(payload)
        posts = [p for p in data.get("posts_outside_cell") or [] if isinstance(p, str)]
        if posts:
            bind.execute(
                set_posts, {"posts": json.dumps(posts, ensure_ascii=False), "member_id": data["member_id"]}
            )


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("committee_posts")
        batch.drop_column("posts_outside_cell")
