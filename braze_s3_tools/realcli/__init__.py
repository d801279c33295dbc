"""The real Pulumi CLI, run offline on a copy of the project: the CLI to use, the stand-in `aws` provider plugin,
and `python -m braze_s3_tools.realcli.preview --stack dev` (`make real-preview`)."""
