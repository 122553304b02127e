"""The data the graded tests of semantic geometry run on, defined once.

``autograder/test_semantic_geometry.py`` grades with it, and the exercise page says how much
the grader embeds and trains on by reading it here (a page never imports a graded test module).

>>> len(graded_reviews()), graded_reviews() == graded_reviews()
(150, True)
>>> len(TUNE), sorted({label for label, _ in TUNE})
(12, ['Acne', 'Birth Control', 'Insomnia'])
"""
from __future__ import annotations

import functools
import random

from tokemb import assets


@functools.cache
def graded_reviews() -> tuple:
    """150 of the shipped reviews, drawn with a fixed seed (the same on every run)."""
    reviews = assets.drug_reviews()
    picks = sorted(random.Random(2024).sample(range(len(reviews)), 150))
    return tuple(reviews[i] for i in picks)


# A dozen short texts, three labels: one epoch is two small batches, a few seconds on a laptop.
TUNE = (
    ("Birth Control", "The pill gave me headaches."),
    ("Insomnia", "I fall asleep within minutes now."),
    ("Acne", "My skin cleared up in a month."),
    ("Birth Control", "Since starting the pill my periods are lighter."),
    ("Insomnia", "Finally I sleep through the night."),
    ("Acne", "The cream dried out my face but the pimples are gone."),
    ("Birth Control", "This pill made me gain weight."),
    ("Insomnia", "It knocks me out, but I feel groggy in the morning."),
    ("Acne", "My acne got worse before it got better."),
    ("Birth Control", "No pregnancy scares since I started the pill."),
    ("Insomnia", "I used to lie awake until four in the morning."),
    ("Acne", "Fewer breakouts, but my skin peels."),
)
