-- r_sub_0
--
-- Revision ID: r_sub_0
-- Revises: 

-- migrate:upgrade
SELECT 1;

-- migrate:downgrade
SELECT 2;
