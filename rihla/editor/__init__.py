"""The browser editor at /admin/ (Decap CMS): configuration from the model, bundle, interface strings."""
