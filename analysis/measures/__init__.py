"""Numbers into judgements: comparisons and gaps, the verdict rules, sentences, summaries and their labels."""
