"""The lowest stage: errors, periods, Danish formats, figures with their units, text as text, the project's
paths, version folders and locks, the code's version. Imports no other stage.
"""
