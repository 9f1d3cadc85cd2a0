"""Names grounding: the symbol index of a repo, invented-name detection with suggestions, rename
history, and the compilers' verdicts on a block's names."""
