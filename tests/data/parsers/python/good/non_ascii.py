"""Café: naïve ünïcode & stuff — ✓ 日本語

Revision ID: 7777aaaa
Revises: 6666ffff
Create Date: 2026-11-24 01:42:40.785656+01:00

"""
revision = '7777aaaa'
down_revision = '6666ffff'
branch_labels = ('café',)
depends_on = None
