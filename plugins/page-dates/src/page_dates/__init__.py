"""When each post and note was created and last changed: front matter first, then git."""
