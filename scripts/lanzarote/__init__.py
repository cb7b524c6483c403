"""Lanzarote for Kids: the project's own Python code (checks, data, hooks, CLI helpers)."""
