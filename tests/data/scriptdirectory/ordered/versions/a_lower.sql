-- r_a_lower
--
-- Revision ID: r_a_lower
-- Revises: 

-- migrate:upgrade
SELECT 1;

-- migrate:downgrade
SELECT 2;
