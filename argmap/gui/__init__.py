"""The desktop editor (Qt widgets). Only this package and ``argmap.render`` import Qt."""
