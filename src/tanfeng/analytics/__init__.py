"""tanfeng.analytics."""
