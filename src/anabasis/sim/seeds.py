"""Seeds for the games of a batch: game i's seed depends only on the batch seed and i.

`numpy.random.SeedSequence(seed).spawn(n)[i]` is the child with spawn key `(i,)`; building that child directly
gives the same seed without materializing n children, so a million-game batch costs nothing up front.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np


def game_seed(batch_seed: int, index: int) -> int:
    """The seed of game `index` of a batch: `anabasis run --seed <it>` replays that game."""
    child = np.random.SeedSequence(batch_seed, spawn_key=(index,))
    return int(child.generate_state(1)[0])


def game_seeds(batch_seed: int, start: int, stop: int) -> Iterator[tuple[int, int]]:
    """`(index, seed)` for the games `start <= index < stop`."""
    for index in range(start, stop):
        yield index, game_seed(batch_seed, index)
