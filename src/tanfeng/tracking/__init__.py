"""tanfeng.tracking."""
