"""Braze-on-S3 rules for Pulumi CrossGuard.

Self-contained on purpose: `pulumi policy publish` uploads this directory alone, so nothing
here imports from the Pulumi program next to it. The program's tests hold the two copies
of Braze's facts (action sets, folder normalisation) equal.
"""
