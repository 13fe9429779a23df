"""tanfeng.accounting."""
