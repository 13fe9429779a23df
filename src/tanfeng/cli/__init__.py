"""tanfeng.cli."""
