CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running stamp_revision  -> 6aa67ef48cab

INSERT INTO alembic_version (version_num) VALUES ('6aa67ef48cab');

