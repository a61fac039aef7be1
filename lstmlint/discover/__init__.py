"""Stage 1, find files: walk the paths (excludes, ``.gitignore``-style skips), read each file once
and decide from its text whether it can matter (does it name a recurrent layer? what does it
import?) -- the per-file "facts" the engine, the cache and the caller index use."""
