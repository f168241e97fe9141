-- r_Sub2
--
-- Revision ID: r_Sub2
-- Revises: 

-- migrate:upgrade
SELECT 1;

-- migrate:downgrade
SELECT 2;
