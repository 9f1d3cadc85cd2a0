"""Source code below the stage families: tree-sitter parsers for C and C#, symbol extraction,
repository walking and source-file decoding, shared by `ingest` and `ground`."""
