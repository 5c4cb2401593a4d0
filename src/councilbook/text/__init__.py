"""Figures and findings as Danish text: sentences, tables, charts."""
