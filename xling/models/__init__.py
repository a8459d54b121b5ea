"""The model store: names and aliases, manifests (data, in models/), builders and metadata.
Exports (by module): names.resolve_alias, store.resolve, build.build_model, info.ModelInfo."""
