-- msg
--
-- Revision ID: abc
-- Revises:

-- migrate:upgrade transaction:false
SELECT 1;
-- migrate:downgrade
