"""What each role sees first after logging in (``/home``), composed from the other areas' use cases.

============  ==========================================================================================
module        use case
============  ==========================================================================================
``home``      one principal's landing content: open dispatch rounds and what is missing, the warnings,
              what changed, the units it may read, where an enterprise or an auditor goes instead
============  ==========================================================================================

Callers write ``from tanfeng.services import landing``. Nothing here computes: the counts and levels are
the tracking and key-unit use cases' own, so the landing page never disagrees with the page it links to.
"""

from __future__ import annotations

from tanfeng.services.landing.home import Home, home_for, landing_path

__all__ = ["Home", "home_for", "landing_path"]
