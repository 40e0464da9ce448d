"""Development tools, not part of the installed package: the synthetic export generator (`python -m
devtools.synth`, for benchmarks and scale tests) and the builders of the bundled Dumai demo exports. Run them
from the repository's root."""
