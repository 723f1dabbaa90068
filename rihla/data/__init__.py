"""Data files shipped with Rihla: country outlines for the mission maps (see README.md here)."""
