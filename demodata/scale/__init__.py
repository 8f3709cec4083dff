"""The steps of ``generate_scale``: the directory's (``directory``), then the apps' built on it, by noun."""
