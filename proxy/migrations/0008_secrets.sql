-- Secrets every proxy on one database must hold alike (the address carriers post their notifications to):
-- the first proxy's, kept by all.
CREATE TABLE secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
