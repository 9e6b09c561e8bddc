"""Benchmarks and the independent reference computation they compare against."""
