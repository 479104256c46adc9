"""Step 3: the talk with the pupil."""
