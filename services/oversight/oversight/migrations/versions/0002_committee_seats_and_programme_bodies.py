"""Members' committee seats in the roster copy; a programme's body type, one per body and year.

The body type of programmes adopted before this revision is read back from their
InspectionProgrammeAdopted events. The roster copy's seats fill in as the sessions
service publishes them (events written before the field hold none).

Revision ID: 0002
Revises: 0001
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.add_column("members", sa.Column("committee_posts", sa.Text, nullable=False, server_default="[]"))
    op.add_column("programmes", sa.Column("body_type", sa.String(30), nullable=True))
    bind = op.get_bind()
    adopted = bind.execute(
        sa.text("SELECT payload FROM event_log WHERE event_type = 'InspectionProgrammeAdopted'")
    ).all()
    set_body_type = sa.text("UPDATE programmes SET body_type = :body_type WHERE programme_id = :programme_id")
    for (payload,) in adopted:
        data = json.loads(payload)
        bind.execute(
            set_body_type, {"body_type": data.get("deciding_body_type"), "programme_id": data["programme_id"]}
        )
    op.create_index("ux_programmes_body_year", "programmes", ["org_id", "body_type", "year"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_programmes_body_year", table_name="programmes")
    with op.batch_alter_table("programmes") as batch:
        batch.drop_column("body_type")
    with op.batch_alter_table("members") as batch:
        batch.drop_column("committee_posts")
