#!/usr/bin/env python
"""The one command-line entry point of the IOC (the console script `ioc` runs the same thing)."""

import sys

from config.cli import main

if __name__ == "__main__":
    sys.exit(main())
