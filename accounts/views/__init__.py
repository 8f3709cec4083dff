"""The accounts app's pages, one module per concern."""
