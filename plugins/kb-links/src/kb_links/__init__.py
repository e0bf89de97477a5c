"""Wikilinks ([[note]]) and backlinks between the pages of one language."""
