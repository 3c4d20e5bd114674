"""Generators: one source of truth (configs, SystemRDL) -> RTL, C/C++ headers, Python, docs."""
