DROP TABLE corrective_actions;
DROP TABLE assurance_feedback;
DROP TABLE assurance_checks;
DROP TABLE assurance_sample_items;
DROP TABLE assurance_samples;
ALTER TABLE sr_activities DROP KEY ix_activity_completed;
ALTER TABLE service_requests DROP KEY ix_sr_created;
DROP TABLE business_decisions;
