"""A council's project: its parameters and its data loaded and checked together (the one entry, ``load``), the
cross checks of the parameters against the data, the cut-off (which figures a meeting may read), and the
prepared project a build shares among its reports.
"""
