"""PoleDesk: the desktop tool of a pôle de stages and of its academic coordinator."""

__version__ = "0.1.0"
APP_NAME = "PoleDesk"
APP_AUTHOR = "PoleDesk"
