"""The computations: series, aggregation, goal status, forecast, SPC, job centres, the framework adjustment, the
evaluation.
"""
