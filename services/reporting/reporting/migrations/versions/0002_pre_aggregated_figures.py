"""Pre-aggregated figures per unit and per subtree, filled from the facts already kept.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

from reporting.rollup_store import recompute_figures
from reporting.tables import PROJECTION_TABLES, ancestry, facts, metadata

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    bind = op.get_bind()
    metadata.create_all(bind=bind, tables=list(PROJECTION_TABLES))  # only what is missing
    if bind.dialect.name == "postgresql":  # 0001 made once_key a unique constraint
        bind.exec_driver_sql("ALTER TABLE report_facts DROP CONSTRAINT IF EXISTS report_facts_once_key_key")
    for index in (*ancestry.indexes, *facts.indexes):
        index.create(bind, checkfirst=True)
    recompute_figures(bind)


def downgrade() -> None:
    from reporting.tables import below_figures, unit_figures

    metadata.drop_all(bind=op.get_bind(), tables=[unit_figures, below_figures])
