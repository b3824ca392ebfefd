"""Forms of the online-information watch: staff.py (the feed, the topic page), config.py ("Quản trị")."""
