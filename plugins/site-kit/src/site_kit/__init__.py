"""What this site's own plugins share, so that each rule has one home."""
