"""Job backends of `ncv regress`: local (default) and slurm. See base.py for the interface."""
