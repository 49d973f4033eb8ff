-- The courier requests the carriers took, one a shipment, written as each is taken: what was asked for, when,
-- and the carrier's reference of it, for the shop and the owner's desk to see afterwards.
CREATE TABLE courier_requests (
    shipment_id TEXT NOT NULL REFERENCES shipments (id),
    carrier TEXT NOT NULL,
    carrier_ref TEXT NOT NULL,
    date TEXT NOT NULL,
    time_from TEXT NOT NULL,
    time_to TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX courier_requests_created ON courier_requests (created_at);
