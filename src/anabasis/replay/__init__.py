"""Replays: every week of a recorded game (a `run` log, a save, a batch's game) or of a game the AI is playing,
kept so that a viewer steps to any week at once and can take command from it."""

from anabasis.replay.observer import Observer
from anabasis.replay.records import open_replay
from anabasis.replay.scenarios import ReplayError
from anabasis.replay.weeks import Provenance, Replay, replay_orders

__all__ = ["Observer", "Provenance", "Replay", "ReplayError", "open_replay", "replay_orders"]
