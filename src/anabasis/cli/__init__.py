"""The `anabasis` command line."""
