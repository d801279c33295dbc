// Braze on S3 from a TypeScript program, with the braze-s3 component package:
//   pulumi package add https://github.com/<org>/braze-s3/provider@v1.0.0
// generates the `@pulumi/braze-s3` SDK into ./sdks/braze-s3, adds it to package.json and installs it.
// `make example-typescript` does exactly that with the real CLI and type-checks this file against it.
// The args are plain values (the component decides IAM documents from names at preview); the external ids
// below are placeholders in the format Braze shows: replace them with the ones on each integration's page.
import * as pulumi from "@pulumi/pulumi";
import * as brazeS3 from "@pulumi/braze-s3";

const braze = new brazeS3.BrazeS3("braze", {
    brazeAccountId: "716373062512", // from Braze's Currents page
    bucket: { name: "acme-braze-web-prod", protect: true },
    buckets: { exports: { name: "acme-braze-web-exports-prod", protect: true } },
    currents: [
        { name: "main", folderPath: "currents", auth: "role", externalIds: ["6f1c2b9e-3f7d-4c55-9a38-1b2d7c0e4a11"] },
        { name: "marketing", folderPath: "currents-marketing", auth: "accessKey", accessKeys: ["2026-11"] },
    ],
    dashboardExport: { bucket: "exports", auth: "role", externalIds: ["0b8a7d52-94e1-4f0c-bb6e-2c3d4e5f6a70"] },
    tags: { team: "web" },
});

// What to type into Braze: role ARN or access key id, bucket name and folder of each integration.
export const currents = braze.currents;
export const dashboardExport = braze.dashboardExport;
// The SDK does not mark this output secret (a schema inferred from Python annotations cannot); the component
// makes the value secret at run time. pulumi.secret() keeps it so in this program's outputs whatever the SDK says.
export const secretAccessKeys = pulumi.secret(braze.secretAccessKeys);
