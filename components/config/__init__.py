"""The stack configuration: the one table of keys (`schema`), the secret-aware reader, and the validation of
every key (`stack.parse_settings`, with one module per concern); `docs` and `typed_args` are generated from the table."""
