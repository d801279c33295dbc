"""The offline plan (`python -m braze_s3_tools.plan`): the program and the pack run as `pulumi preview` would, and its comparison with a base (`--against`)."""
