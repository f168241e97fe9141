-- r_deep
--
-- Revision ID: r_deep
-- Revises: 

-- migrate:upgrade
SELECT 1;

-- migrate:downgrade
SELECT 2;
