"""Django-style ids

Revision ID: 1234abcd
Revises: 5678ef01
"""
revision = 'django_0050'
down_revision = 'add_run_timestamps'
branch_labels = 'django'
depends_on = ('kilo',)
