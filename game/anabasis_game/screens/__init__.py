"""The screens of the game window, each a state on the stack."""
