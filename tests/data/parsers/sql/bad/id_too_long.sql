-- msg
--
-- Revision ID: 0123456789abcdef0123456789abcdef0
-- Revises:

-- migrate:upgrade
SELECT 1;
-- migrate:downgrade
SELECT 2;
