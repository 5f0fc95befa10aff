"""Demo content for the forum, written by the forum team (fictional people and posts)."""
