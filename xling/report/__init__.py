"""Reports for people and machines: progress bars and tables on stderr, audit JSON and HTML.
Exports (by module): progress.progress_bar, audit_table, audit_json.write_json, audit_html."""
