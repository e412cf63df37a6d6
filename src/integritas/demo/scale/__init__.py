"""`integritas seed_scale`: a national installation, in bulk, that is still valid data.

plan.py decides the sizes; organisations.py, people.py, cases.py and audit.py write them,
in that order; guard.py says when to refuse; progress.py reports; run.py runs it all.
"""
