-- r_B_upper
--
-- Revision ID: r_B_upper
-- Revises: 

-- migrate:upgrade
SELECT 1;

-- migrate:downgrade
SELECT 2;
