-- windows line endings
--
-- Revision ID: c71f00000001
-- Revises: 7777aaaa
-- Create Date: 2026-11-26 12:00:00

-- migrate:upgrade
CREATE TABLE w (a INT);

-- migrate:downgrade
DROP TABLE w;
