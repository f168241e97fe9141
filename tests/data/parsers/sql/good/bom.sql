-- with a byte order mark
--
-- Revision ID: b0b0b0b0b0b0
-- Revises:

-- migrate:upgrade
SELECT 1;

-- migrate:downgrade
SELECT 2;
