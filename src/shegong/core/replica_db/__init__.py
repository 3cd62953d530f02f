"""The database backend of a read replica's alias (see `base`)."""
