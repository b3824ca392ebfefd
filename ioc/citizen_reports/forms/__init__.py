"""Forms of citizen reports' pages: `public` (citizens) and `staff` (operators)."""
