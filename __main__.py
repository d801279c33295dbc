"""Braze ⇄ Amazon S3, per environment. All logic lives in `components/`."""

from components.program import run

run()
