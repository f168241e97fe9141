-- tight layout
--
-- Revision ID: 0123456789abcdef0123456789abcdef
-- Revises: 7777aaaa
-- migrate:upgrade
SELECT 'thirty-two characters id';
-- migrate:downgrade
SELECT 'down';
