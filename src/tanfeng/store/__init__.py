"""tanfeng.store."""
