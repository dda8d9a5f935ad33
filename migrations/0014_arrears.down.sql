DROP TABLE arrears_events;
DROP TABLE arrears_actions;
