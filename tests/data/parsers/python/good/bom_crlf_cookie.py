# -*- coding: utf-8 -*-
"""BOM, CRLF and a coding cookie

Revision ID: c7f0c7f0c7f0
Create Date: 2026-01-02 03:04:05
"""
revision = "c7f0c7f0c7f0"
down_revision = (
    "aaaa00000001",
    "bbbb00000002",
)
branch_labels = None
depends_on = None
