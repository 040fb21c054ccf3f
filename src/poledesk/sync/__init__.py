"""Bundles between poles and their coordinator: keys and peers, the file format, the checks and the merge."""
