"""Reading and writing tables (CSV, Parquet, JSON) for the command line and batch runs."""
