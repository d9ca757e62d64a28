"""argmap: argument maps linked to the words of the article they analyse."""

__version__ = "0.1.0"
