# Copyright 2024 Example Corp.
#
# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. "Quotes" and 'quotes'
# do not matter in comments.

"""add the quota table

Revision ID: 1b2c3d4e5f6
Revises: 0a1b2c3d4e5
Create Date: 2025-03-01 09:10:11.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = '1b2c3d4e5f6'
down_revision = '0a1b2c3d4e5'
