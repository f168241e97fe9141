-- msg
--
-- Revision ID:   
-- Revises: x

-- migrate:upgrade
SELECT 1;
-- migrate:downgrade
SELECT 2;
