-- msg
--
-- Revision ID: abc
-- Revises:

SELECT 1;
