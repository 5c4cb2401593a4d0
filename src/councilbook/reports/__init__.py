"""The reports: the Report/Section model, the report-kind registry and one module per kind."""
