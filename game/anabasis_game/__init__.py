"""The game window: a pygame front end that drives the engine through its public API.

Nothing in `anabasis` imports this package; `anabasis play` imports it inside the command.
"""
