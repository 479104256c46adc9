"""Steps 6 to 8: the evaluations after one and two weeks, and the decision."""
