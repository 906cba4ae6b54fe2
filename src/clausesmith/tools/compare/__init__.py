"""The comparison engine of redline, markup and impact: words (`words`), their alignment
(`sequence`), word-level differences (`word_diff`) and the pairing of edited paragraphs
(`pairing`, which says why redline and markup pair differently)."""
