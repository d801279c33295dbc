"""`make bench`'s peer: checkov scanning a CloudFormation template equivalent to the dev stack.

checkov is a widely used IaC scanner; the comparison is whole process against whole process, on
the same machine, in alternating (paired) runs. It is installed in its own throwaway virtualenv
under build/ — never a dependency of this project; when it cannot be installed (no registry),
the bench says it skipped the line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from braze_s3_tools.engine.harness import ProgramRun, strip_markers
from braze_s3_tools.engine.stack_files import PROJECT_ROOT

PEER_VENV = PROJECT_ROOT / "build" / "bench-peer" / "venv"


def _logical(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.replace("_", "-").split("-"))


def _document(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def cfn_template(run: ProgramRun) -> dict[str, Any]:
    """The dev stack's AWS resources as one CloudFormation template (what checkov would be pointed at)."""
    resources: dict[str, Any] = {}
    bucket_props: dict[str, Any] = {}
    for reg in run.resources:
        inputs = strip_markers(reg.inputs)
        if reg.type == "aws:s3/bucket:Bucket":
            bucket_props["BucketName"] = inputs["bucket"]
        elif reg.type.endswith("BucketPublicAccessBlock"):
            keys = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
            bucket_props["PublicAccessBlockConfiguration"] = {k[:1].upper() + k[1:]: inputs[k] for k in keys}
        elif reg.type.endswith("BucketOwnershipControls"):
            bucket_props["OwnershipControls"] = {"Rules": [{"ObjectOwnership": inputs["rule"]["objectOwnership"]}]}
        elif reg.type.endswith("BucketServerSideEncryptionConfiguration"):
            algorithm = inputs["rules"][0]["applyServerSideEncryptionByDefault"]["sseAlgorithm"]
            bucket_props["BucketEncryption"] = {
                "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": algorithm}}]
            }
        elif reg.type == "aws:s3/bucketPolicy:BucketPolicy":
            resources[_logical(reg.name)] = {
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {"Bucket": {"Ref": "Bucket"}, "PolicyDocument": _document(inputs["policy"])},
            }
        elif reg.type == "aws:iam/policy:Policy":
            resources[_logical(reg.name)] = {
                "Type": "AWS::IAM::ManagedPolicy",
                "Properties": {"Path": inputs.get("path", "/"), "PolicyDocument": _document(inputs["policy"])},
            }
        elif reg.type == "aws:iam/role:Role":
            resources[_logical(reg.name)] = {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "Path": inputs.get("path", "/"),
                    "AssumeRolePolicyDocument": _document(inputs["assumeRolePolicy"]),
                },
            }
        elif reg.type == "aws:iam/user:User":
            resources[_logical(reg.name)] = {"Type": "AWS::IAM::User", "Properties": {"Path": inputs.get("path", "/")}}
        elif reg.type == "aws:iam/accessKey:AccessKey":
            user = next(r for r in run.resources if r.urn in reg.property_dependencies.get("user", []))
            resources[_logical(reg.name)] = {
                "Type": "AWS::IAM::AccessKey",
                "Properties": {"UserName": {"Ref": _logical(user.name)}},
            }
    resources["Bucket"] = {"Type": "AWS::S3::Bucket", "Properties": bucket_props}
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}


def checkov() -> Path | None:
    """The checkov executable of the throwaway virtualenv, installed on first use; None when it cannot be."""
    executable = PEER_VENV / "bin" / "checkov"
    if executable.exists():
        return executable
    try:
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True, capture_output=True)  # noqa: S603 - our interpreter
        pip = str(PEER_VENV / "bin" / "pip")
        subprocess.run([pip, "install", "-q", "checkov"], check=True, capture_output=True, timeout=900)  # noqa: S603 - the peer, by name
    except (subprocess.SubprocessError, OSError):
        return None
    return executable if executable.exists() else None
