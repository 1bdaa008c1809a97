"""fullrecord: full-process recording of land-law enforcement (国土执法全过程记录)."""

__version__ = "0.1.0"
