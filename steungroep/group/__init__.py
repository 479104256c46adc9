"""Step 4: forming the steungroep with the pupil; the invitations."""
