DROP TABLE notes;
DROP TABLE sr_activities;
DROP TABLE sr_related;
DROP TABLE sr_fields;
DROP TABLE service_requests;
