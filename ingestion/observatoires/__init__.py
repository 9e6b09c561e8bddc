"""Branch observatories (OPMQ) skill-needs studies."""
