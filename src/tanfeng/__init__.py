"""tanfeng (碳峰): software that runs a region's carbon-peak implementation plan."""

__version__ = "0.1.0"
