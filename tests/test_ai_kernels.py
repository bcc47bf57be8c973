"""The AI's compiled steps choose what the numpy they replaced chose, ties included: a faster commander must not
plan differently, or every game, save and replay would change."""

from __future__ import annotations

import numpy as np

from anabasis.ai.attack import nearest


def test_a_march_starts_from_the_first_of_equally_near_posts() -> None:
    rng = np.random.default_rng(7)
    distance = rng.integers(0, 4, size=(30, 30)).astype(np.float64)  # few distinct distances: many ties
    distance[3] = np.inf  # a post cut off from everything
    ours = np.array([9, 3, 4, 17, 22, 5], dtype=np.int64)
    goals = np.arange(30, dtype=np.int64)
    chosen_by_numpy = ours[distance[ours[:, None], goals].argmin(axis=0)]
    assert nearest(distance, ours, goals).tolist() == chosen_by_numpy.tolist()
