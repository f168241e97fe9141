-- bom
--
-- Revision ID: le_bom_crlf
-- Revises:

-- migrate:upgrade
SELECT 1;
-- migrate:downgrade
SELECT 2;
