"""Demo members, careers and claims: made through the product's own rules and
services, with the problems that demo/contributions.py plants and no others."""
