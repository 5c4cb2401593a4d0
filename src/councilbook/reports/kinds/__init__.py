"""The built-in report kinds, a module each (its ``KIND``); :mod:`councilbook.reports.registry` finds them."""
