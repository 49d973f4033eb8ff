-- A carrier's notification names its own reference of the shipment: found by it.
CREATE INDEX shipments_carrier_ref ON shipments (carrier, carrier_ref);
