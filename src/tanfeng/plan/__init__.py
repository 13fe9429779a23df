"""tanfeng.plan."""
