"""Start-up checks of the Meldpunt's settings: a typo in a retention key must not pass."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from .constants import Finding, Kind


@register()
def retention_settings(app_configs: Any, **kwargs: Any) -> list[Error]:
    """R-DP-2: every key names a finding (or `none`) or a kind, every period is 1+ years."""
    errors = []
    allowed = {
        "INTEGRITAS_RETENTION_YEARS_BY_FINDING": {*Finding.values, "none"},
        "INTEGRITAS_RETENTION_YEARS_BY_KIND": set(Kind.values),
    }
    for name, keys in allowed.items():
        for key, years in getattr(settings, name).items():
            if key not in keys:
                errors.append(
                    Error(
                        f"{name}: unknown key {key!r}; use one of {', '.join(sorted(keys))}.",
                        id="integritas.E101",
                    )
                )
            elif not isinstance(years, int) or years < 1:
                errors.append(
                    Error(
                        f"{name}: {key} must be a whole number of years, 1 or more.",
                        id="integritas.E102",
                    )
                )
    return errors
