"""Pages of citizen reports: `public` (citizens, no login) and `staff` (operators, leaders, agency officers)."""
