// Reads {crds, documents} as JSON on stdin and validates each document: a Kubernetes type against
// the Kubernetes JSON schema of its apiVersion/kind (kubernetes-models' generated validators), a
// custom resource against the openAPIV3Schema of the vendored CRD that serves it (k8s/crds), with
// unknown fields rejected as `kubectl apply --validate=strict` rejects them.
// Prints a JSON array of {index, kind, name, errors} for the documents that fail, or that have no
// schema here. Exit code 0 either way: the Java test decides.
"use strict";
const Ajv = require("ajv");
const addFormats = require("ajv-formats");

const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", () => {
  const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const custom = customResourceValidators(input.crds || []);
  const results = input.documents.map((doc, index) => ({
    index, kind: doc.kind, name: doc.metadata && doc.metadata.name,
    errors: custom.has(`${doc.apiVersion}/${doc.kind}`) ? validateCustom(custom.get(`${doc.apiVersion}/${doc.kind}`), doc) : validate(doc),
  })).filter((r) => r.errors.length > 0);
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

// "group/version/Kind" → compiled validator, for every served version of every CRD.
function customResourceValidators(crds) {
  const ajv = new Ajv({ allErrors: true, strict: false, code: { regExp: goRegExp } });
  addFormats(ajv);
  // OpenAPI's numeric formats, and Kubernetes' own: the API server checks none of these beyond the type
  for (const format of ["int32", "int64", "float", "double", "quantity", "duration"]) {
    ajv.addFormat(format, true);
  }
  const validators = new Map();
  for (const crd of crds) {
    for (const version of crd.spec.versions.filter((v) => v.served)) {
      const schema = structural(version.schema.openAPIV3Schema, true);
      validators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, ajv.compile(schema));
    }
  }
  return validators;
}

// CRD patterns are Go (RE2) regular expressions: an inline flag group such as the Prometheus Operator's
// "^(?i)(abort|warn)?$" is not JavaScript syntax; it becomes the RegExp's flag instead.
function goRegExp(pattern, flags) {
  let inline = "";
  const source = pattern.replace(/\(\?([ims]+)\)/g, (_, f) => {
    inline += f;
    return "";
  });
  return new RegExp(source, [...new Set(flags + inline)].join(""));
}
goRegExp.code = "new RegExp";

function validateCustom(validator, doc) {
  if (validator(doc)) {
    return [];
  }
  return validator.errors.map((err) => `${err.instancePath || "/"} ${err.message}`
    + (err.keyword === "additionalProperties" ? ` (unknown field ${err.params.additionalProperty})` : ""));
}

// A CRD's structural schema as JSON schema: an object that lists its properties and does not
// preserve unknown fields takes no others (the API server prunes or, with strict validation,
// rejects them); int-or-string is either; the root implicitly has apiVersion, kind and metadata.
function structural(node, root) {
  if (node === null || typeof node !== "object") {
    return node;
  }
  if (Array.isArray(node)) {
    return node.map((n) => structural(n, false));
  }
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "properties" || key === "patternProperties" || key === "definitions") {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, structural(v, false)]));
    } else if (key === "default" || key === "enum" || key === "example" || key.startsWith("x-kubernetes-")) {
      out[key] = value; // data, not schema
    } else {
      out[key] = structural(value, false);
    }
  }
  if (node["x-kubernetes-int-or-string"]) {
    delete out.type;
    out.anyOf = [{ type: "integer" }, { type: "string" }];
  }
  if (root) {
    out.properties = { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" }, ...(out.properties || {}) };
  }
  const preserves = node["x-kubernetes-preserve-unknown-fields"] === true;
  if (out.properties && out.additionalProperties === undefined && !preserves) {
    out.additionalProperties = false;
  }
  return out;
}
