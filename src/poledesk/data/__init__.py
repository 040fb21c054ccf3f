"""The store and the domain services; knows nothing of Qt."""
