DROP TABLE mp_enquiries;
