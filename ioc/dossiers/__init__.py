"""Public administration dossiers (R5.3, R4.2–R4.4; issue 23): procedures, the one-stop-shop's events, checks
at once against rules citing their basis, violations verified by the IOC, and the citizens' lookup."""
