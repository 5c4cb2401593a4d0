"""The figures in: the jobindsats readers and API client, the geography (areas), the dataset, the sample
generator.
"""
