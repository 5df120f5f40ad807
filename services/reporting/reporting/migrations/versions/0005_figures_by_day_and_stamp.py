"""Pre-aggregated figures by day (any period, terms across years) and by the month they
were recorded in (as-of reports), rebuilt from the facts and the tree already kept.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

from reporting.rollup_store import recompute_figures
from reporting.tables import FIGURE_TABLES, metadata, recorded_months

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    bind = op.get_bind()
    # The figure tables are derived: made again in their new shape, then recomputed.
    for table in (
        "report_unit_figures",
        "report_below_figures",
        "report_stamped_figures",
        "report_recorded_months",
    ):
        bind.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
    metadata.create_all(bind=bind, tables=[*FIGURE_TABLES, recorded_months])
    recompute_figures(bind)


def downgrade() -> None:
    metadata.drop_all(bind=op.get_bind(), tables=[*FIGURE_TABLES, recorded_months])
