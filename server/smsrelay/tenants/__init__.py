"""Tenants: the companies a relay serves, and what their administrators set up."""
