"""The agenda of each session: items placed, fitted, reordered and published."""
