"""The school's stappenplan after the steungroep: its steps in a case, and closing it."""
