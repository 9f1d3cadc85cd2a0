"""modsmith: checked instruction datasets and local models from a modding community's material."""

__version__ = "0.1.0"
