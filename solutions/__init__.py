"""Reference implementations, with the same signatures and docstrings as exercises/."""
