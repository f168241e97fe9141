-- e_good2
--
-- Revision ID: e_good2
-- Revises: 

-- migrate:upgrade
SELECT 1;

-- migrate:downgrade
SELECT 2;
