"""Your work: fill in the functions that raise NotImplementedError, then run
`pytest autograder`."""
