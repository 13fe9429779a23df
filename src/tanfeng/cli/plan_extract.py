"""``tanfeng plan extract FILE``: draft a plan's structure and targets from a Chinese text."""

from __future__ import annotations
