"""Application services: they combine the rules, the catalog and storage for the handlers."""
