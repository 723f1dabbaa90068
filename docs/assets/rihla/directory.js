// Rihla: directory script.
