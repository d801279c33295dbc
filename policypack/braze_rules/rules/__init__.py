"""One module per rule; `braze_rules.registry.RULES` lists them in order."""
