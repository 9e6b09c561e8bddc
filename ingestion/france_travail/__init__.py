"""France Travail feeds: trainees, hirings, job-seeker stock, BMO survey, tension indicators."""
