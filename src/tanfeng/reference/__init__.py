"""tanfeng.reference."""
