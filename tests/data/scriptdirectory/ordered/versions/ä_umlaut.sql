-- r_umlaut
--
-- Revision ID: r_umlaut
-- Revises: 

-- migrate:upgrade
SELECT 1;

-- migrate:downgrade
SELECT 2;
