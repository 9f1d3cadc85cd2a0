"""C grounding: sandboxed compile checks against a decomp's own compiler (profiles, include policy,
batches and a pool of checks, asset headers), and the C preprocessor pieces the names check uses."""
