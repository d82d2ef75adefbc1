"""The standard menus, shipped as package data (``*.toml``); see ``docs/menus.md``."""
