"""The braze-s3 component package's version: the plugin reports it, the docs and examples pin it."""

VERSION = "1.0.0"
