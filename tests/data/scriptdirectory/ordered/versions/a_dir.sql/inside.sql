-- r_inside_dir_named_sql
--
-- Revision ID: r_inside_dir_named_sql
-- Revises: 

-- migrate:upgrade
SELECT 1;

-- migrate:downgrade
SELECT 2;
