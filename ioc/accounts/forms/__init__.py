"""Forms of the account pages: own.py (sign-in, second factor, password, account requests), systems.py."""
