"""`make bench`: the portal measured against this machine's own ceiling.

Nothing here is imported by the product; see bench/README.md.
"""
