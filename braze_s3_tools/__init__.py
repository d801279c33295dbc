"""Offline tooling for the braze-s3 project: run the program and the policy pack with no cloud."""
