-- r_underscore
--
-- Revision ID: r_underscore
-- Revises: 

-- migrate:upgrade
SELECT 1;

-- migrate:downgrade
SELECT 2;
