"""deirezzor -- helpers for the Deir ez-Zor (17 September 2016) teaching notebooks.

    from deirezzor import load, datasets, describe
    datasets()                      # the tables in data/datapackage.json
    describe("casualty_estimates")  # what each column means
    df = load("casualty_estimates") # a validated pandas DataFrame

Importing this package is light: pandas is imported on the first load, and
plotly only by ``deirezzor.style``.
"""
from .data import DataError, data_dir, datasets, describe, load, load_all, schema

__version__ = "0.2.0"

__all__ = ["load", "load_all", "datasets", "schema", "describe", "DataError",
           "data_dir", "__version__"]
