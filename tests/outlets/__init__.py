"""Stored pages, one folder per outlet, that pin down what each outlet's profile extracts."""
