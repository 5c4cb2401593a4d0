"""The computations: series, aggregation, cut-off, goal status, forecast, SPC, job centres, the framework
adjustment, the evaluation, and the check of parameters against data.
"""
