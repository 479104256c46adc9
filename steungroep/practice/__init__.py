"""Practising the method with made-up pupils (domain/practice.py)."""
