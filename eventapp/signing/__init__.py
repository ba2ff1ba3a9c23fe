"""Pledge versions (signatures, the signing station and the live wall follow in the signing issue)."""
