"""Reference implementations, with the same signatures and docstrings as exercises/."""  # SOLUTION
# EXERCISE: """Your work: fill in the functions that raise NotImplementedError, then run
# EXERCISE: `pytest autograder`."""
