""" 

Revision ID: 9999cccc
Revises: 8888bbbb
Create Date: 2026-11-24 00:42:50.000000

"""
revision = '9999cccc'
down_revision = '8888bbbb'
