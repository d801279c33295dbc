"""The emulator path: moto's S3/IAM server, the stack provisioned in it, and `verify` run against it (`make verify-local`)."""
