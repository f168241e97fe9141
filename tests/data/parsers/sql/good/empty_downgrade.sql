-- last one
--
-- Revision ID: e0e0e0e0e0e0
-- Revises: abc123

-- migrate:upgrade
CREATE INDEX ix ON t (c);
-- migrate:downgrade