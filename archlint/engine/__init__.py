"""The rule engine: the rule base class, rule packs, running rules, findings,
baselines and configuration."""
