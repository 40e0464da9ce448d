"""Development tools, not part of the installed package: the synthetic export generator (`python -m
devtools.synth`, for benchmarks and scale tests), the builders of the bundled Dumai demo exports, and the one
writer of exports they and the tests share (devtools/exports.py). Run them from the repository's root."""
