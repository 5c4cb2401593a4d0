"""The book: the run manifest, executing notebooks, the pipeline, Sphinx, PDF and the web folder."""
