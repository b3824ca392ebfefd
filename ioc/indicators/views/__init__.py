"""Pages of the indicators: `staff` (dashboard, indicator page, what an agency owes), `config` (the "Quản trị"
pages: catalogue versions, targets, data calls)."""
