"""Writes and rules of the case library. Views, tasks and commands import from here; reads are in
ouentai.cases.selectors."""
