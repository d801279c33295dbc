"""Offline stand-ins for the Pulumi CLI and engine: stack files and secrets read as the CLI reads them, the program under the SDK's mock engine, the policy pack over the engine's gRPC protocol."""
