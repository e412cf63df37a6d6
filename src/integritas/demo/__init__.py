"""Demo data for the Leidse regio (`integritas seed_demo`, `integritas demo_logins`).

Never loaded in production: both commands refuse unless settings.INTEGRITAS_DEMO_ALLOWED.
"""
