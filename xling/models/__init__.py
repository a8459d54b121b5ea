"""Model store: manifests (data, in models/), building, and the built models' metadata."""
