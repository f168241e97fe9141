-- r_emoji
--
-- Revision ID: r_emoji
-- Revises: 

-- migrate:upgrade
SELECT 1;

-- migrate:downgrade
SELECT 2;
