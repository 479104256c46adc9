"""The dossier: the case report and the notes for the pupil record system."""
