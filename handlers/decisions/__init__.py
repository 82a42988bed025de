"""Listeners of decisions: advance / reject / hold on a decision message."""
