"""The pure core: step engine, flows and transaction rules. No I/O imports here."""
