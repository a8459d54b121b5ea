"""The subcommands of `xling`, one module each (translate, models, align, audit).
Exports: each module's `register(subparsers)`, which adds its parser and sets its `func`."""
