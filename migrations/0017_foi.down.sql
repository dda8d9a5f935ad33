DROP TABLE foi_requests;
