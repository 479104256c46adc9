"""The settings of a school: one form per school, and its studiedagen."""
