"""Benchmarks for policyqa (not part of the test suite, never imported by the product).

``python -m bench --sizes 1000 --out bench/results/latest.json``: see bench/cli.py.
"""
