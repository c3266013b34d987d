"""`python -m mermaidlint` runs the command-line interface."""

from mermaidlint.cli import main

if __name__ == "__main__":
    main()
