"""Initial schema: regions, plans (parts, actions, measures, targets), statistics, imports, audit log.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-24 20:35:21.890870
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def _create_audit_log() -> None:
    """The ``audit_log`` table and its index."""
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('entity_id', sa.String(length=300), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=True),
    sa.Column('hash', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_log_hash'))
    )
    op.create_index('ix_audit_log_entity', 'audit_log', ['entity', 'entity_id'], unique=False)


def _create_import_batches() -> None:
    """The ``import_batches`` table."""
    op.create_table('import_batches',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batches'))
    )


def _create_plans() -> None:
    """The ``plans`` table and its index."""
    op.create_table('plans',
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('title_en', sa.Text(), nullable=True),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('document_number', sa.String(length=200), nullable=True),
    sa.Column('issuer', sa.Text(), nullable=True),
    sa.Column('published', sa.String(length=10), nullable=True),
    sa.Column('source_file', sa.String(length=300), nullable=True),
    sa.Column('notes', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans'))
    )
    op.create_index(op.f('ix_plans_region'), 'plans', ['region'], unique=False)


def _create_regions() -> None:
    """The ``regions`` table and its indexes."""
    op.create_table('regions',
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('name_zh', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=True),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('parent', sa.String(length=6), nullable=True),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('legacy_codes', sa.JSON(), nullable=False),
    sa.Column('certainty', sa.String(length=1), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['parent'], ['regions.code'], name=op.f('fk_regions_parent_regions')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_regions'))
    )
    op.create_index(op.f('ix_regions_level'), 'regions', ['level'], unique=False)
    op.create_index(op.f('ix_regions_parent'), 'regions', ['parent'], unique=False)


def _create_plan_parts() -> None:
    """The ``plan_parts`` table."""
    op.create_table('plan_parts',
    sa.Column('plan_id', sa.String(length=100), nullable=False),
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_parts_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('plan_id', 'id', name=op.f('pk_plan_parts'))
    )


def _create_plan_targets() -> None:
    """The ``plan_targets`` table and its index."""
    op.create_table('plan_targets',
    sa.Column('plan_id', sa.String(length=100), nullable=False),
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=100), nullable=True),
    sa.Column('measure', sa.String(length=100), nullable=True),
    sa.Column('indicator', sa.Text(), nullable=False),
    sa.Column('indicator_id', sa.String(length=100), nullable=False),
    sa.Column('indicator_en', sa.Text(), nullable=True),
    sa.Column('scope', sa.String(length=100), nullable=False),
    sa.Column('scope_regions', sa.JSON(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('comparator', sa.String(length=16), nullable=False),
    sa.Column('value', sa.Float(precision=53), nullable=False),
    sa.Column('value_high', sa.Float(precision=53), nullable=True),
    sa.Column('qualifier', sa.String(length=4), nullable=True),
    sa.Column('unit', sa.String(length=100), nullable=False),
    sa.Column('baseline_year', sa.Integer(), nullable=True),
    sa.Column('departments', sa.JSON(), nullable=False),
    sa.Column('aspirational', sa.Boolean(), nullable=False),
    sa.Column('source_text', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('source_document', sa.Text(), nullable=False),
    sa.Column('source_file', sa.String(length=300), nullable=True),
    sa.Column('source_line', sa.Integer(), nullable=True),
    sa.Column('source_start', sa.Integer(), nullable=True),
    sa.Column('source_end', sa.Integer(), nullable=True),
    sa.Column('source_url', sa.Text(), nullable=True),
    sa.Column('source_certainty', sa.String(length=1), nullable=False),
    sa.Column('source_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_targets_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('plan_id', 'id', name=op.f('pk_plan_targets'))
    )
    op.create_index('ix_plan_targets_lookup', 'plan_targets', ['plan_id', 'indicator_id', 'year'], unique=False)


def _create_reference_statistics() -> None:
    """The ``reference_statistics`` table and its indexes."""
    op.create_table('reference_statistics',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('dataset', sa.String(length=300), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('indicator', sa.String(length=100), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=True),
    sa.Column('value', sa.Float(precision=53), nullable=False),
    sa.Column('unit', sa.String(length=100), nullable=False),
    sa.Column('certainty', sa.String(length=1), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['region'], ['regions.code'], name=op.f('fk_reference_statistics_region_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_statistics'))
    )
    op.create_index(op.f('ix_reference_statistics_dataset'), 'reference_statistics', ['dataset'], unique=False)
    op.create_index('ix_reference_statistics_lookup', 'reference_statistics', ['region', 'indicator', 'year'], unique=False)


def _create_plan_actions() -> None:
    """The ``plan_actions`` table."""
    op.create_table('plan_actions',
    sa.Column('plan_id', sa.String(length=100), nullable=False),
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('part_id', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('numeral', sa.String(length=16), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('title_en', sa.Text(), nullable=True),
    sa.Column('source_document', sa.Text(), nullable=False),
    sa.Column('source_file', sa.String(length=300), nullable=True),
    sa.Column('source_line', sa.Integer(), nullable=True),
    sa.Column('source_start', sa.Integer(), nullable=True),
    sa.Column('source_end', sa.Integer(), nullable=True),
    sa.Column('source_url', sa.Text(), nullable=True),
    sa.Column('source_certainty', sa.String(length=1), nullable=False),
    sa.Column('source_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id', 'part_id'], ['plan_parts.plan_id', 'plan_parts.id'], name='fk_plan_actions_part', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_actions_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('plan_id', 'id', name=op.f('pk_plan_actions'))
    )


def _create_plan_measures() -> None:
    """The ``plan_measures`` table."""
    op.create_table('plan_measures',
    sa.Column('plan_id', sa.String(length=100), nullable=False),
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('part_id', sa.String(length=100), nullable=False),
    sa.Column('action_id', sa.String(length=100), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('departments', sa.JSON(), nullable=False),
    sa.Column('source_document', sa.Text(), nullable=False),
    sa.Column('source_file', sa.String(length=300), nullable=True),
    sa.Column('source_line', sa.Integer(), nullable=True),
    sa.Column('source_start', sa.Integer(), nullable=True),
    sa.Column('source_end', sa.Integer(), nullable=True),
    sa.Column('source_url', sa.Text(), nullable=True),
    sa.Column('source_certainty', sa.String(length=1), nullable=False),
    sa.Column('source_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id', 'action_id'], ['plan_actions.plan_id', 'plan_actions.id'], name='fk_plan_measures_action', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id', 'part_id'], ['plan_parts.plan_id', 'plan_parts.id'], name='fk_plan_measures_part', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_measures_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('plan_id', 'id', name=op.f('pk_plan_measures'))
    )


def upgrade() -> None:
    _create_audit_log()
    _create_import_batches()
    _create_plans()
    _create_regions()
    _create_plan_parts()
    _create_plan_targets()
    _create_reference_statistics()
    _create_plan_actions()
    _create_plan_measures()


def downgrade() -> None:
    op.drop_table('plan_measures')
    op.drop_table('plan_actions')
    op.drop_index('ix_reference_statistics_lookup', table_name='reference_statistics')
    op.drop_index(op.f('ix_reference_statistics_dataset'), table_name='reference_statistics')

    op.drop_table('reference_statistics')
    op.drop_index('ix_plan_targets_lookup', table_name='plan_targets')

    op.drop_table('plan_targets')
    op.drop_table('plan_parts')
    op.drop_index(op.f('ix_regions_parent'), table_name='regions')
    op.drop_index(op.f('ix_regions_level'), table_name='regions')

    op.drop_table('regions')
    op.drop_index(op.f('ix_plans_region'), table_name='plans')

    op.drop_table('plans')
    op.drop_table('import_batches')
    op.drop_index('ix_audit_log_entity', table_name='audit_log')

    op.drop_table('audit_log')
