"""`python -m anabasis`: the same as the `anabasis` command."""

from anabasis.cli.main import main

main()
