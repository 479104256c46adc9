"""For admins: the people of their schools and importing pupils."""
