"""The stage database: models, scoped read queries, validated write commands, migrations.

Imports without Streamlit, so the same code serves the app, the command line and notebooks.
"""
