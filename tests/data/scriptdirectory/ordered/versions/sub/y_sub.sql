-- r_sub_y
--
-- Revision ID: r_sub_y
-- Revises: 

-- migrate:upgrade
SELECT 1;

-- migrate:downgrade
SELECT 2;
