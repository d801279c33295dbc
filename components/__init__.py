"""The braze-s3 Pulumi program: validated config, pure documents, and the components that use them."""
