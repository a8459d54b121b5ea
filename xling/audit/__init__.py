"""The audit: which numbers and quotations carried over from an English source to its Arabic.
Exports (by module): run.audit_document/build_report, inputs.doc_pairs/read_mt, numbers, quotes."""
