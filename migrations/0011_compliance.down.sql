DROP TABLE compliance_events;
DROP TABLE compliance_opportunities;
