"""Pages of the online-information watch: staff.py (feed, topic page, watch lists), config.py ("Quản trị")."""
