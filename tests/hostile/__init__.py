"""The hostile-input corpus: what an attacker controls, built at test time by small
generators (nothing binary is committed).

- `word`: Word files and templates: linked pictures and objects, fetching fields, symbol
  characters, headers, notes, comments, text boxes, alternate content, imported chunks,
  embedded objects, a duplicated paragraph, 150,000 sibling insertions.
- Settings files and symlink trees are made in each test's own folder, beside the test that
  uses them: tests/cli/test_hostile_config.py (settings leading out of the repository, a
  FIFO or /dev/zero as settings), tests/write/test_hostile_output_tree.py (a deal folder
  linked elsewhere, a 20 GB sparse output), tests/tools/test_hostile_writes.py (links at
  the names `new` and `clauses approve` write).
- Template amplifiers: tests/templating/test_hostile_templates.py, test_template_memory.py
  and test_amplifiers_in_word_templates.py.
"""
