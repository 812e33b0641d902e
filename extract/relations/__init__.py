"""Relations stage: from headcounts, places and movement words to deployment rows.

Read in this order:

- `words`: the vocabulary of movement (which words move troops, which keep them in place);
- `forces`: whose troops a figure is;
- `memory`: what earlier sentences established, for "these troops", "there", "le pays";
- `segment`: one figure's stretch of a sentence and the rows it gives;
- `details`: unit, date and confidence of a row;
- `article`: the article read sentence by sentence, rows spanning sentences, clean-up.

Garrisons, totals and troops already in place, casualties, negated moves and alerts without a
destination give no row. The rules are data: `extract/rules/{en,fr}.json`.
"""
from extract.relations.article import find_deployments

__all__ = ["find_deployments"]
