"""Forms of the indicator pages: they only parse; the services check and write. `staff` (values, data calls),
`config` (the catalogue's versions, targets, cancelling a call)."""
