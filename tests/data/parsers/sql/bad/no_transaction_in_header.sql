-- misplaced
--
-- Revision ID: 5a5a5a5a5a5a
-- Revises:
-- migrate:no-transaction

-- migrate:upgrade
SELECT 1;
-- migrate:downgrade
SELECT 1;
