"""The Streamlit app shell: login, navigation by role, shared filters, caches and charts."""
