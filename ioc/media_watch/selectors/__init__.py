"""Every read of the online-information watch (R5.7), re-exported: `from ioc.media_watch import selectors`."""

from ioc.media_watch.selectors.rules import matcher

__all__ = ["matcher"]
