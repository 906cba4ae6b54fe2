"""What tests in several stages share: reference deals, document fixtures, readers of Word
revisions, the counterparty's edits and the tools marker. No test file imports another."""
