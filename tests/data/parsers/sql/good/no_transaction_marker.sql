-- add index concurrently
--
-- Revision ID: 5a5a5a5a5a5a
-- Revises: 4b4b4b4b4b4b
-- Create Date: 2026-11-24 10:00:00.000000

-- migrate:upgrade
CREATE TABLE big (id INTEGER);
-- migrate:no-transaction
CREATE INDEX CONCURRENTLY ix_big_id ON big (id);

-- migrate:downgrade
-- migrate:no-transaction
DROP INDEX CONCURRENTLY ix_big_id;
DROP TABLE big;
