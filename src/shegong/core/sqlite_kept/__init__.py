"""SQLite whose connections outlive a request (see `base`)."""
