"""`verify` (`python -m braze_s3_tools.verify`): does a deployed stack pass Braze's credential test, and is Braze still writing?"""
