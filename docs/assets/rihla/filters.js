// Rihla: filters script.
