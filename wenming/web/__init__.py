"""The web layer: what every staff page shares, above the domain apps.

* :mod:`wenming.web.gate` — the one view gate (login, 404 out of scope, audited 403 in scope);
* :mod:`wenming.web.lists` — the list page (search, filters in the URL, pagination, export);
* :mod:`wenming.web.forms` — service errors onto forms; :mod:`wenming.web.responses` — htmx-aware redirects.

The rate limiter sits in ``wenming.core.ratelimit`` because the login throttle (accounts, below this
layer) uses it too. See docs/adr/0008-web-layer.md.
"""
