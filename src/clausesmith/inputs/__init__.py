"""Reading input files: YAML and JSON with positions, numbers and dates as written, the
generic schema validator and its located messages, ISO country and currency codes.

Below every stage: the deal, the playbooks and the clause library are all read with it."""
