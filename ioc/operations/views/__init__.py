"""R10.2–R10.4: the pages of running the center under /van-hanh/ (thin: parse, one service or selector, render)."""
