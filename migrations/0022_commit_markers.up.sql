-- Exactly-once commits across a lost COMMIT reply (store/db.h,
-- Tx::CommitExactlyOnce). Each pooled connection of each server start owns
-- one row and counts its commits in it, in the same transaction as the
-- command; after a reply is lost the server reads the count back to learn
-- whether the commit landed, instead of running the command again.
CREATE TABLE commit_markers (
  connection_key BIGINT NOT NULL PRIMARY KEY,
  commits BIGINT NOT NULL,
  updated_us BIGINT NOT NULL,
  KEY commit_markers_updated (updated_us)
) ENGINE=InnoDB;
