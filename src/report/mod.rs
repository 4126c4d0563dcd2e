//! Stage 9, report: pure functions from stored results to bytes, one template per format
//! (`report-templates/`).
