"""Beneath the stages: worker processes, atomic writes that never touch an input, timings."""
