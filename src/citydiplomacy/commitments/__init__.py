"""Commitments: what the city promised, to whom, by when, and whether it is on track.

- :mod:`.models` - commitments, targets, measurements and membership obligations (domain);
- :mod:`.status` - the status method (on track, at risk, off track, no data);
- :mod:`.sdg` - the UN SDG framework as reference data (goals, targets, indicators);
- :mod:`.network_reference` - the reference list of city networks with citations;
- :mod:`.views` - plain models for pages and reports; :mod:`.charts`, :mod:`.report`,
  :mod:`.vlr` - charts, the Voluntary Local Review and one-page summaries;
- :mod:`.store` - database access; use cases are in :mod:`citydiplomacy.services.commitments`.
"""

from .sdg import describe, is_sdg_code, sdg_goal, sdg_indicator, sdg_target
from .status import METHOD, Status, assess

__all__ = ["METHOD", "Status", "assess", "describe", "is_sdg_code", "sdg_goal", "sdg_indicator", "sdg_target"]
