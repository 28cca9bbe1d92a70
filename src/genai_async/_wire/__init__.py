"""Typed objects <-> the REST JSON shapes of wire.md: no I/O, no event loop.

Layer: above ``_types`` (the pydantic models), below ``models`` (the API
surface) and the client core, which never import from here.
"""
