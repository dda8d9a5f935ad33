DROP TABLE person_assets;
