"""tanfeng.web."""
