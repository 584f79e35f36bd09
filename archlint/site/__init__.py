"""The site generator: the model, its analyses and findings as MkDocs pages and
Graphviz diagrams."""
