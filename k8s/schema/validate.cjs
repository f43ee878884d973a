// Reads a JSON array of Kubernetes documents on stdin and validates each one against the
// Kubernetes JSON schema of its apiVersion/kind (kubernetes-models' generated validators).
// Prints a JSON array of {index, kind, name, errors} for the documents that fail, or that
// have no schema here. Exit code 0 either way: the Java test decides.
"use strict";
const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", () => {
  const docs = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const results = docs.map((doc, index) => ({ index, kind: doc.kind, name: doc.metadata && doc.metadata.name, errors: validate(doc) }))
    .filter((r) => r.errors.length > 0);
  process.stdout.write(JSON.stringify(results));
});

function validate(doc) {
  const [group, version] = String(doc.apiVersion || "").includes("/") ? doc.apiVersion.split("/") : ["", doc.apiVersion];
  const modulePath = ["kubernetes-models", group, version, doc.kind].filter(Boolean).join("/");
  let Model;
  try {
    Model = require(modulePath)[doc.kind];
  } catch (e) {
    return [`no schema for ${doc.apiVersion} ${doc.kind}`];
  }
  if (typeof Model !== "function") {
    return [`no schema for ${doc.apiVersion} ${doc.kind}`];
  }
  try {
    new Model(doc).validate();
    return [];
  } catch (e) {
    if (Array.isArray(e.errors) && e.errors.length > 0) {
      return e.errors.map((err) => `${err.instancePath || "/"} ${err.message}`);
    }
    return [String(e.message || e)];
  }
}
