-- What proxies on one database coordinate by and share. A lease: one holder of a piece of background work
-- (a carrier's sync) at a time, until it stops renewing it. A snapshot: a carrier's last good list of
-- points, as JSON, for every proxy to serve.
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until_ms BIGINT NOT NULL
);
CREATE TABLE snapshots (
    carrier TEXT PRIMARY KEY,
    -- When its points were fetched (Unix milliseconds): the generation every proxy compares with its own.
    saved_at BIGINT NOT NULL,
    body TEXT NOT NULL
);
-- The carriers' tracking answers (JSON; null for "no such parcel"), each until its carrier's TTL runs out: a
-- parcel is asked about once per TTL by the whole fleet.
CREATE TABLE tracking_answers (
    carrier TEXT NOT NULL,
    number TEXT NOT NULL,
    body TEXT NOT NULL,
    expires_ms BIGINT NOT NULL,
    PRIMARY KEY (carrier, number)
);
