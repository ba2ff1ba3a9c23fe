"""Browser tests (a package, so that this folder's conftest.py does not replace tests/conftest.py as `conftest`)."""
