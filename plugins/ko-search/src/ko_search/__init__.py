"""Korean search for Material for MkDocs: compound parts, particles, mixed words."""
