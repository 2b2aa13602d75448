"""Notes the secretariat leaves for the interpretation booths, and glossary links."""
