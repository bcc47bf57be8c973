"""The documents a scenario's facts may cite, so that every figure can be traced."""

from __future__ import annotations

# The four seed documents the game is built from, by file name, with what each is about.
SEED_DOCUMENTS: dict[str, str] = {
    "000_c11097c14a899cd0.txt": "the revolt of the Czechoslovak Legion, May 1918 - September 1920",
    "001_23571e2b81c1ae21.txt": "the Allied intervention in the Russian Civil War",
    "002_57267c378f32929d.txt": "the Siberian intervention, 1918-1922",
    "003_c5fb6244edc03c7d.txt": "the Allied invasion of Russia (Murmansk, Arkhangelsk, Vladivostok, the south)",
}

# Well-established history where the documents are silent: coordinates, rail distances, dates of record.
HISTORY = "history"

CITABLE: tuple[str, ...] = (*SEED_DOCUMENTS, HISTORY)
