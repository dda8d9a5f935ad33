DROP TABLE calculations;
DROP TABLE hmrc_requests;
DROP TABLE employments;
DROP TABLE deo_desires;
