DROP TABLE guidance_answers;
DROP TABLE private_guidance_requests;
