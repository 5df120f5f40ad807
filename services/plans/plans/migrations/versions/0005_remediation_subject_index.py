"""An index on the subject of a remediation item: a member's own items (the gateway's
`subject_id` filter) are found without reading every item of the subtree.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_index("ix_remediation_items_subject", "remediation_items", ["subject_id", "subject_kind"])


def downgrade() -> None:
    op.drop_index("ix_remediation_items_subject", table_name="remediation_items")
