-- A message
-- spanning lines
--
-- More doc.
--
-- Revision ID: 0123456789abcdef0123456789abcdef
-- Revises: aaaa, bbbb
-- Branch labels: feature, other
-- Depends on: cccc
-- Create Date: 2024-01-01 00:00:00.000000

-- migrate:upgrade
CREATE TABLE t (id INTEGER);
-- migrate:no-transaction
CREATE INDEX CONCURRENTLY ix ON t (id);
--   migrate:downgrade   
DROP TABLE t;
