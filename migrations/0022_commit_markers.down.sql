DROP TABLE commit_markers;
