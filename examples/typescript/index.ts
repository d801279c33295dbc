// Braze on S3 from a TypeScript program, with the braze-s3 component package:
//   pulumi package add https://github.com/<org>/braze-s3/provider@v1.0.0
// generates the `@pulumi/braze-s3` SDK into ./sdks and adds it to package.json.
import * as pulumi from "@pulumi/pulumi";
import * as brazeS3 from "@pulumi/braze-s3";

const braze = new brazeS3.BrazeS3("braze", {
    brazeAccountId: "716373062512", // from Braze's Currents page
    bucket: { name: "acme-braze-web-prod", protect: true },
    buckets: { exports: { name: "acme-braze-web-exports-prod", protect: true } },
    currents: [
        { name: "main", folderPath: "currents", auth: "role", externalIds: ["<external id from Braze>"] },
    ],
    dashboardExport: { bucket: "exports", auth: "role", externalIds: ["<external id from Braze>"] },
    tags: { team: "web" },
});

// What to type into Braze: role ARN, bucket name and folder of each integration.
export const currents = braze.currents;
export const dashboardExport = braze.dashboardExport;
