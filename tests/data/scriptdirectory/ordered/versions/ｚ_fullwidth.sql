-- r_fullwidth
--
-- Revision ID: r_fullwidth
-- Revises: 

-- migrate:upgrade
SELECT 1;

-- migrate:downgrade
SELECT 2;
