"""The council's parameters: the pydantic models of council.yml, measures.yml, contracts, meetings and
evaluations, read strictly.
"""
